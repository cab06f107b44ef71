package dev.lsr.opensearch.query;

import dev.lsr.index.search.SparseQuery;
import dev.lsr.index.search.SparseSearchOptions;
import dev.lsr.opensearch.mapper.LsrSparseVectorFieldMapper;
import dev.lsr.opensearch.mapper.SparseVectorJson;
import dev.lsr.seismic.SparseVector;
import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;
import org.apache.lucene.search.Query;
import org.opensearch.core.common.ParsingException;
import org.opensearch.core.common.io.stream.StreamInput;
import org.opensearch.core.common.io.stream.StreamOutput;
import org.opensearch.core.xcontent.XContentBuilder;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.index.mapper.MappedFieldType;
import org.opensearch.index.query.AbstractQueryBuilder;
import org.opensearch.index.query.QueryBuilder;
import org.opensearch.index.query.QueryRewriteContext;
import org.opensearch.index.query.QueryShardContext;

/**
 * {@code {"lsr_sparse": {"field", "vector", "k", "query_cut"?, "heap_factor"?, "exact"?, "filter"?}}}:
 * lsr's per-segment search (Seismic, or an exact scan for small segments and selective filters)
 * on each shard, the filter applied inside the search, hits scored by their exact dot product.
 * Each shard returns its own top k; OpenSearch merges the shards' hits.
 */
public final class LsrSparseQueryBuilder extends AbstractQueryBuilder<LsrSparseQueryBuilder> {

    public static final String NAME = "lsr_sparse";
    // The search defaults of an lsr collection (index/README.md).
    static final int DEFAULT_QUERY_CUT = 10;
    static final float DEFAULT_HEAP_FACTOR = 0.9f;
    static final int FILTER_EXACT_MAX_DOCS = 10_000;
    static final double FILTER_EXACT_FRACTION = 0.05;

    private final String field;
    private final int[] indices;
    private final float[] values;
    private final int k;
    private final Integer queryCut;
    private final Float heapFactor;
    private final boolean exact;
    private final QueryBuilder filter;

    public LsrSparseQueryBuilder(String field, int[] indices, float[] values, int k, Integer queryCut, Float heapFactor,
            boolean exact, QueryBuilder filter) {
        if (field == null || field.isEmpty()) {
            throw new IllegalArgumentException("[" + NAME + "] needs [field]");
        }
        if (indices.length != values.length) {
            throw new IllegalArgumentException("[" + NAME + "] [vector]: [indices] has " + indices.length
                    + " entries but [values] has " + values.length);
        }
        if (k < 1) {
            throw new IllegalArgumentException("[" + NAME + "] [k] must be >= 1, was " + k);
        }
        if (queryCut != null && queryCut < 1) {
            throw new IllegalArgumentException("[" + NAME + "] [query_cut] must be >= 1, was " + queryCut);
        }
        if (heapFactor != null && !(heapFactor >= 0f && heapFactor <= 1f)) {
            throw new IllegalArgumentException("[" + NAME + "] [heap_factor] must be in [0, 1], was " + heapFactor);
        }
        this.field = field;
        this.indices = indices;
        this.values = values;
        this.k = k;
        this.queryCut = queryCut;
        this.heapFactor = heapFactor;
        this.exact = exact;
        this.filter = filter;
    }

    public LsrSparseQueryBuilder(StreamInput in) throws IOException {
        super(in);
        this.field = in.readString();
        this.indices = in.readIntArray();
        this.values = in.readFloatArray();
        this.k = in.readVInt();
        this.queryCut = in.readOptionalVInt();
        this.heapFactor = in.readOptionalFloat();
        this.exact = in.readBoolean();
        this.filter = in.readOptionalNamedWriteable(QueryBuilder.class);
    }

    @Override
    protected void doWriteTo(StreamOutput out) throws IOException {
        out.writeString(field);
        out.writeIntArray(indices);
        out.writeFloatArray(values);
        out.writeVInt(k);
        out.writeOptionalVInt(queryCut);
        out.writeOptionalFloat(heapFactor);
        out.writeBoolean(exact);
        out.writeOptionalNamedWriteable(filter);
    }

    public static LsrSparseQueryBuilder fromXContent(XContentParser parser) throws IOException {
        String field = null;
        int[] indices = null;
        float[] values = null;
        Integer k = null;
        Integer queryCut = null;
        Float heapFactor = null;
        boolean exact = false;
        QueryBuilder filter = null;
        float boost = DEFAULT_BOOST;
        String queryName = null;
        for (XContentParser.Token t = parser.nextToken(); t != XContentParser.Token.END_OBJECT; t = parser.nextToken()) {
            if (t != XContentParser.Token.FIELD_NAME) {
                throw new ParsingException(parser.getTokenLocation(), "[" + NAME + "] expected a field name, got " + t);
            }
            String key = parser.currentName();
            parser.nextToken();
            try {
                switch (key) {
                    case "field" -> field = parser.text();
                    case "vector" -> {
                        // The field's dim is checked on the shard; here only the shape of the vector.
                        SparseVector v = SparseVectorJson.parse(parser, Integer.MAX_VALUE, "[" + NAME + "] [vector]");
                        indices = v.indices();
                        values = v.values();
                    }
                    case "tokens" -> throw new ParsingException(parser.getTokenLocation(), "[" + NAME
                            + "] [tokens] needs a vocabulary on the nodes, which this plugin does not load yet; send [vector]");
                    case "k" -> k = parser.intValue(false);
                    case "query_cut" -> queryCut = parser.intValue(false);
                    case "heap_factor" -> heapFactor = parser.floatValue(false);
                    case "exact" -> exact = parser.booleanValue();
                    case "filter" -> filter = parseInnerQueryBuilder(parser);
                    case "boost" -> boost = parser.floatValue();
                    case "_name" -> queryName = parser.text();
                    default -> throw new ParsingException(parser.getTokenLocation(), "[" + NAME + "] unknown key [" + key
                            + "]; known: field, vector, k, query_cut, heap_factor, exact, filter, boost, _name");
                }
            } catch (IllegalArgumentException e) {
                throw new ParsingException(parser.getTokenLocation(), e.getMessage(), e);
            }
        }
        if (field == null || indices == null || k == null) {
            throw new ParsingException(parser.getTokenLocation(), "[" + NAME + "] needs [field], [vector] and [k]");
        }
        try {
            return new LsrSparseQueryBuilder(field, indices, values, k, queryCut, heapFactor, exact, filter)
                    .boost(boost).queryName(queryName);
        } catch (IllegalArgumentException e) {
            throw new ParsingException(parser.getTokenLocation(), e.getMessage(), e);
        }
    }

    @Override
    protected void doXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject(NAME);
        builder.field("field", field);
        builder.startObject("vector").array("indices", indices).array("values", values).endObject();
        builder.field("k", k);
        if (queryCut != null) {
            builder.field("query_cut", queryCut);
        }
        if (heapFactor != null) {
            builder.field("heap_factor", heapFactor);
        }
        if (exact) {
            builder.field("exact", true);
        }
        if (filter != null) {
            builder.field("filter", filter);
        }
        printBoostAndQueryName(builder);
        builder.endObject();
    }

    @Override
    protected QueryBuilder doRewrite(QueryRewriteContext context) throws IOException {
        if (filter == null) {
            return this;
        }
        QueryBuilder rewritten = filter.rewrite(context);
        return rewritten == filter ? this
                : new LsrSparseQueryBuilder(field, indices, values, k, queryCut, heapFactor, exact, rewritten)
                        .boost(boost).queryName(queryName);
    }

    @Override
    protected Query doToQuery(QueryShardContext context) throws IOException {
        MappedFieldType type = context.fieldMapper(field);
        if (!(type instanceof LsrSparseVectorFieldMapper.FieldType sparse)) {
            throw new IllegalArgumentException("[" + NAME + "] field [" + field + "] is "
                    + (type == null ? "not mapped" : "of type [" + type.typeName() + "]") + ", not ["
                    + LsrSparseVectorFieldMapper.CONTENT_TYPE + "]");
        }
        SparseVector vector;
        try {
            vector = SparseVector.ofUnsorted(indices.clone(), values.clone(), sparse.dim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("[" + NAME + "] [vector] for field [" + field + "] (dim " + sparse.dim()
                    + "): " + e.getMessage(), e);
        }
        Query filterQuery = filter == null ? null : filter.toQuery(context);
        SparseSearchOptions options = new SparseSearchOptions(exact,
                queryCut != null ? queryCut : DEFAULT_QUERY_CUT,
                heapFactor != null ? heapFactor : DEFAULT_HEAP_FACTOR,
                true, FILTER_EXACT_MAX_DOCS, FILTER_EXACT_FRACTION);
        SparseQuery search = new SparseQuery(field, vector, sparse.dim(), k, filterQuery, options);
        return new ExplainedSparseQuery(search, field, vector, sparse.dim());
    }

    @Override
    protected boolean doEquals(LsrSparseQueryBuilder o) {
        return field.equals(o.field) && Arrays.equals(indices, o.indices) && Arrays.equals(values, o.values) && k == o.k
                && Objects.equals(queryCut, o.queryCut) && Objects.equals(heapFactor, o.heapFactor) && exact == o.exact
                && Objects.equals(filter, o.filter);
    }

    @Override
    protected int doHashCode() {
        return Objects.hash(field, Arrays.hashCode(indices), Arrays.hashCode(values), k, queryCut, heapFactor, exact, filter);
    }

    @Override
    public String getWriteableName() {
        return NAME;
    }
}
