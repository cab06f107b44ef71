package dev.lsr.opensearch.query;

import dev.lsr.index.search.SparseQuery;
import dev.lsr.index.search.SparseSearchOptions;
import dev.lsr.index.settings.CollectionSettings;
import dev.lsr.opensearch.mapper.LsrSparseVectorFieldMapper;
import dev.lsr.opensearch.mapper.SparseVectorJson;
import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.search.SearchParams;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.lucene.search.MatchNoDocsQuery;
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
 * {@code {"lsr_sparse": {"field", "vector" | "tokens" | "text", "k", "query_cut"?, "heap_factor"?, "exact"?, "filter"?}}}:
 * lsr's per-segment search (Seismic, or an exact scan for small segments and selective filters)
 * on each shard, the filter applied inside the search, hits scored by their exact dot product.
 * Each shard returns its own top k; OpenSearch merges the shards' hits. {@code tokens}
 * ({@code {"token": weight}}) is resolved on the shard through the field's vocabulary; {@code text}
 * is encoded on the shard by the field's {@code model} (every node holds the same model directory,
 * so every shard gets the same vector). Without
 * {@code query_cut} and {@code heap_factor}, segments built for the field's {@code recall_target}
 * are searched with the setting tuned for them.
 */
public final class LsrSparseQueryBuilder extends AbstractQueryBuilder<LsrSparseQueryBuilder> {

    public static final String NAME = "lsr_sparse";
    // The search defaults of an lsr collection (index/README.md): seismic-blocks' SearchParams.
    static final int DEFAULT_QUERY_CUT = SearchParams.defaults().queryCut();
    static final float DEFAULT_HEAP_FACTOR = SearchParams.defaults().heapFactor();
    // Filters are searched exactly below the collection defaults' thresholds (index/README.md).
    static final int FILTER_EXACT_MAX_DOCS = CollectionSettings.defaults().filterExactMaxDocs();
    static final double FILTER_EXACT_FRACTION = CollectionSettings.defaults().filterExactFraction();
    private static final byte FORM_VECTOR = 0;
    private static final byte FORM_TOKENS = 1;
    private static final byte FORM_TEXT = 2;

    private final String field;
    private final int[] indices;
    private final float[] values;
    /** The {@code tokens} form (resolved on the shard); null when the query gives {@code vector}. */
    private final String[] tokens;
    private final float[] tokenWeights;
    /** The {@code text} form (encoded on the shard by the field's model); null otherwise. */
    private final String text;
    private final int k;
    private final Integer queryCut;
    private final Float heapFactor;
    private final boolean exact;
    private final QueryBuilder filter;

    public LsrSparseQueryBuilder(String field, int[] indices, float[] values, int k, Integer queryCut, Float heapFactor,
            boolean exact, QueryBuilder filter) {
        this(field, indices, values, null, null, null, k, queryCut, heapFactor, exact, filter);
    }

    /** A query given as text, encoded by the field's {@code model}. */
    public static LsrSparseQueryBuilder ofText(String field, String text, int k, Integer queryCut, Float heapFactor,
            boolean exact, QueryBuilder filter) {
        return new LsrSparseQueryBuilder(field, null, null, null, null, text, k, queryCut, heapFactor, exact, filter);
    }

    /** A query given as {@code {"token": weight}} over the field's vocabulary. */
    public static LsrSparseQueryBuilder ofTokens(String field, Map<String, Float> tokens, int k, Integer queryCut,
            Float heapFactor, boolean exact, QueryBuilder filter) {
        String[] names = tokens.keySet().toArray(String[]::new);
        float[] weights = new float[names.length];
        for (int i = 0; i < names.length; i++) {
            weights[i] = tokens.get(names[i]);
        }
        return new LsrSparseQueryBuilder(field, null, null, names, weights, null, k, queryCut, heapFactor, exact, filter);
    }

    private LsrSparseQueryBuilder(String field, int[] indices, float[] values, String[] tokens, float[] tokenWeights,
            String text, int k, Integer queryCut, Float heapFactor, boolean exact, QueryBuilder filter) {
        if (field == null || field.isEmpty()) {
            throw new IllegalArgumentException("[" + NAME + "] needs [field]");
        }
        if ((indices != null ? 1 : 0) + (tokens != null ? 1 : 0) + (text != null ? 1 : 0) != 1) {
            throw new IllegalArgumentException("[" + NAME + "] needs exactly one of [vector], [tokens] and [text]");
        }
        if (text != null && text.isBlank()) {
            throw new IllegalArgumentException("[" + NAME + "] [text] is blank");
        }
        if (indices != null && indices.length != values.length) {
            throw new IllegalArgumentException("[" + NAME + "] [vector]: [indices] has " + indices.length
                    + " entries but [values] has " + values.length);
        }
        if (tokens != null && tokens.length == 0) {
            throw new IllegalArgumentException("[" + NAME + "] [tokens] is empty");
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
        this.tokens = tokens;
        this.tokenWeights = tokenWeights;
        this.text = text;
        this.k = k;
        this.queryCut = queryCut;
        this.heapFactor = heapFactor;
        this.exact = exact;
        this.filter = filter;
    }

    public LsrSparseQueryBuilder(StreamInput in) throws IOException {
        super(in);
        this.field = in.readString();
        byte form = in.readByte();
        switch (form) {
            case FORM_VECTOR -> {
                this.indices = in.readIntArray();
                this.values = in.readFloatArray();
                this.tokens = null;
                this.tokenWeights = null;
                this.text = null;
            }
            case FORM_TOKENS -> {
                this.tokens = in.readStringArray();
                this.tokenWeights = in.readFloatArray();
                this.indices = null;
                this.values = null;
                this.text = null;
            }
            case FORM_TEXT -> {
                this.text = in.readString();
                this.indices = null;
                this.values = null;
                this.tokens = null;
                this.tokenWeights = null;
            }
            default -> throw new IOException("[" + NAME + "] unknown query form " + form + " on the wire");
        }
        this.k = in.readVInt();
        this.queryCut = in.readOptionalVInt();
        this.heapFactor = in.readOptionalFloat();
        this.exact = in.readBoolean();
        this.filter = in.readOptionalNamedWriteable(QueryBuilder.class);
    }

    @Override
    protected void doWriteTo(StreamOutput out) throws IOException {
        out.writeString(field);
        if (tokens != null) {
            out.writeByte(FORM_TOKENS);
            out.writeStringArray(tokens);
            out.writeFloatArray(tokenWeights);
        } else if (text != null) {
            out.writeByte(FORM_TEXT);
            out.writeString(text);
        } else {
            out.writeByte(FORM_VECTOR);
            out.writeIntArray(indices);
            out.writeFloatArray(values);
        }
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
        Map<String, Float> tokens = null;
        String text = null;
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
                        SparseVector v = SparseVectorJson.parse(parser, Integer.MAX_VALUE, null, "[" + NAME + "] [vector]");
                        indices = v.indices();
                        values = v.values();
                    }
                    case "tokens" -> tokens = parseTokens(parser);
                    case "text" -> {
                        if (parser.currentToken() != XContentParser.Token.VALUE_STRING) {
                            throw new IllegalArgumentException("[" + NAME + "] [text] must be a string");
                        }
                        text = parser.text();
                    }
                    case "k" -> k = parser.intValue(false);
                    case "query_cut" -> queryCut = parser.intValue(false);
                    case "heap_factor" -> heapFactor = parser.floatValue(false);
                    case "exact" -> exact = parser.booleanValue();
                    case "filter" -> filter = parseInnerQueryBuilder(parser);
                    case "boost" -> boost = parser.floatValue();
                    case "_name" -> queryName = parser.text();
                    default -> throw new ParsingException(parser.getTokenLocation(), "[" + NAME + "] unknown key [" + key
                            + "]; known: field, vector, tokens, text, k, query_cut, heap_factor, exact, filter, boost, _name");
                }
            } catch (IllegalArgumentException e) {
                throw new ParsingException(parser.getTokenLocation(), e.getMessage(), e);
            }
        }
        int forms = (indices != null ? 1 : 0) + (tokens != null ? 1 : 0) + (text != null ? 1 : 0);
        if (field == null || forms != 1 || k == null) {
            throw new ParsingException(parser.getTokenLocation(), "[" + NAME + "] needs [field], exactly one of [vector],"
                    + " [tokens] and [text], and [k]");
        }
        try {
            LsrSparseQueryBuilder q = tokens != null
                    ? ofTokens(field, tokens, k, queryCut, heapFactor, exact, filter)
                    : text != null ? ofText(field, text, k, queryCut, heapFactor, exact, filter)
                    : new LsrSparseQueryBuilder(field, indices, values, k, queryCut, heapFactor, exact, filter);
            return q.boost(boost).queryName(queryName);
        } catch (IllegalArgumentException e) {
            throw new ParsingException(parser.getTokenLocation(), e.getMessage(), e);
        }
    }

    /** {@code {"token": weight, ...}}: weights are numbers; the tokens are checked on the shard. */
    private static Map<String, Float> parseTokens(XContentParser parser) throws IOException {
        if (parser.currentToken() != XContentParser.Token.START_OBJECT) {
            throw new IllegalArgumentException("[" + NAME + "] [tokens] must be an object {\"token\": weight}");
        }
        Map<String, Float> tokens = new LinkedHashMap<>();
        for (XContentParser.Token t = parser.nextToken(); t != XContentParser.Token.END_OBJECT; t = parser.nextToken()) {
            String token = parser.currentName();
            XContentParser.Token v = parser.nextToken();
            if (v != XContentParser.Token.VALUE_NUMBER && v != XContentParser.Token.VALUE_STRING) {
                throw new IllegalArgumentException("[" + NAME + "] [tokens] [" + token + "] must be a number (the token's weight)");
            }
            tokens.put(token, parser.floatValue(false));
        }
        return tokens;
    }

    @Override
    protected void doXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject(NAME);
        builder.field("field", field);
        if (tokens != null) {
            builder.startObject("tokens");
            for (int i = 0; i < tokens.length; i++) {
                builder.field(tokens[i], tokenWeights[i]);
            }
            builder.endObject();
        } else if (text != null) {
            builder.field("text", text);
        } else {
            builder.startObject("vector").array("indices", indices).array("values", values).endObject();
        }
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
                : new LsrSparseQueryBuilder(field, indices, values, tokens, tokenWeights, text, k, queryCut, heapFactor, exact,
                        rewritten).boost(boost).queryName(queryName);
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
        if (tokens != null) {
            if (sparse.vocabulary() == null) {
                throw new IllegalArgumentException("[" + NAME + "] [tokens]: field [" + field + "] is mapped without a"
                        + " [vocabulary]; send [vector] or map the field with one");
            }
            Map<String, Float> weights = new LinkedHashMap<>();
            for (int i = 0; i < tokens.length; i++) {
                weights.put(tokens[i], tokenWeights[i]);
            }
            vector = SparseVectorJson.ofTokens(weights, sparse.vocabulary(), sparse.dim(),
                    "[" + NAME + "] [tokens] for field [" + field + "]");
        } else if (text != null) {
            try {
                vector = sparse.encodeQuery(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("[" + NAME + "] [text]: " + e.getMessage(), e);
            }
            if (vector.isEmpty()) {
                // Only masked pieces (punctuation, special tokens): nothing to match.
                return new MatchNoDocsQuery("[" + NAME + "] [text] encodes to an empty vector");
            }
        } else {
            try {
                vector = SparseVector.ofUnsorted(indices.clone(), values.clone(), sparse.dim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("[" + NAME + "] [vector] for field [" + field + "] (dim " + sparse.dim()
                        + "): " + e.getMessage(), e);
            }
        }
        Query filterQuery = filter == null ? null : filter.toQuery(context);
        SparseSearchOptions options = new SparseSearchOptions(exact,
                queryCut != null ? queryCut : DEFAULT_QUERY_CUT,
                heapFactor != null ? heapFactor : DEFAULT_HEAP_FACTOR,
                true, FILTER_EXACT_MAX_DOCS, FILTER_EXACT_FRACTION, queryCut == null && heapFactor == null);
        SparseQuery search = new SparseQuery(field, vector, sparse.dim(), k, filterQuery, options);
        return new ExplainedSparseQuery(search, field, vector, sparse.dim(), sparse.vocabulary());
    }

    @Override
    protected boolean doEquals(LsrSparseQueryBuilder o) {
        return field.equals(o.field) && Arrays.equals(indices, o.indices) && Arrays.equals(values, o.values)
                && Arrays.equals(tokens, o.tokens) && Arrays.equals(tokenWeights, o.tokenWeights)
                && Objects.equals(text, o.text) && k == o.k
                && Objects.equals(queryCut, o.queryCut) && Objects.equals(heapFactor, o.heapFactor) && exact == o.exact
                && Objects.equals(filter, o.filter);
    }

    @Override
    protected int doHashCode() {
        return Objects.hash(field, Arrays.hashCode(indices), Arrays.hashCode(values), Arrays.hashCode(tokens),
                Arrays.hashCode(tokenWeights), text, k, queryCut, heapFactor, exact, filter);
    }

    @Override
    public String getWriteableName() {
        return NAME;
    }
}
