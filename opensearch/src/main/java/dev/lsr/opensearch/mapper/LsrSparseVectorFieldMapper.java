package dev.lsr.opensearch.mapper;

import dev.lsr.index.codec.SparseBuildConfig;
import dev.lsr.index.codec.VectorBytes;
import dev.lsr.opensearch.LsrPlugin;
import dev.lsr.opensearch.encode.ModelEncoders;
import dev.lsr.opensearch.vocab.ModelVocabularies;
import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.Vocabulary;
import dev.lsr.seismic.build.BuildParams;
import dev.lsr.seismic.forward.WeightEncoding;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.search.Query;
import org.opensearch.core.xcontent.XContentParser;
import org.opensearch.index.mapper.FieldMapper;
import org.opensearch.index.mapper.MappedFieldType;
import org.opensearch.index.mapper.MapperParsingException;
import org.opensearch.index.mapper.ParametrizedFieldMapper;
import org.opensearch.index.mapper.ParseContext;
import org.opensearch.index.mapper.SourceValueFetcher;
import org.opensearch.index.mapper.TextSearchInfo;
import org.opensearch.index.mapper.ValueFetcher;
import org.opensearch.index.query.QueryShardContext;
import org.opensearch.search.lookup.SearchLookup;

/**
 * Field type {@code lsr_sparse_vector}: one sparse vector per document, kept as binary doc values
 * in lsr's layout so that the plugin's codec builds each segment's Seismic structure from them.
 * Mapping parameters: {@code dim} (vocabulary size), {@code vocabulary} (an lsr model directory
 * on the nodes: documents and queries may then give {@code {"token": weight}}), {@code model} (an
 * lsr model directory on the nodes: its vocabulary, as {@code vocabulary}, and the encoder that
 * turns {@code lsr_sparse} queries given as {@code text} into vectors), and either the
 * Seismic build settings of the segments ({@code n_postings}, {@code centroid_fraction},
 * {@code summary_alpha}) or {@code recall_target} (each segment tuned for it), plus
 * {@code exact_segment_max_docs}: smaller segments get no structure and are scanned exactly.
 */
public final class LsrSparseVectorFieldMapper extends ParametrizedFieldMapper {

    public static final String CONTENT_TYPE = "lsr_sparse_vector";

    private static final SparseBuildConfig DEFAULTS = SparseBuildConfig.defaults();

    /** The type parser of a node, reading vocabularies from its config directory. */
    public static TypeParser parser(ModelVocabularies vocabularies, ModelEncoders encoders) {
        return new TypeParser((name, parserContext) -> {
            if (!LsrPlugin.INDEX_LSR_SPARSE.get(parserContext.getSettings())) {
                throw new MapperParsingException("field [" + name + "] of type [" + CONTENT_TYPE
                        + "] needs the index setting [" + LsrPlugin.INDEX_LSR_SPARSE.getKey()
                        + ": true] (set when the index is created), which gives its segments their Seismic structure");
            }
            return new Builder(name, vocabularies, encoders);
        });
    }

    private static LsrSparseVectorFieldMapper toType(FieldMapper in) {
        return (LsrSparseVectorFieldMapper) in;
    }

    public static final class Builder extends ParametrizedFieldMapper.Builder {

        private final Parameter<Integer> dim = Parameter.intParam("dim", false, m -> toType(m).config.dim(), DEFAULTS.dim())
                .setValidator(v -> positive("dim", v));
        private final Parameter<Integer> nPostings = Parameter.intParam("n_postings", false,
                m -> toType(m).config.build().nPostings(), DEFAULTS.build().nPostings())
                .setValidator(v -> positive("n_postings", v));
        private final Parameter<Float> centroidFraction = Parameter.floatParam("centroid_fraction", false,
                m -> toType(m).config.build().centroidFraction(), DEFAULTS.build().centroidFraction())
                .setValidator(v -> fraction("centroid_fraction", v));
        private final Parameter<Float> summaryAlpha = Parameter.floatParam("summary_alpha", false,
                m -> toType(m).config.build().summaryAlpha(), DEFAULTS.build().summaryAlpha())
                .setValidator(v -> fraction("summary_alpha", v));
        private final Parameter<Integer> exactSegmentMaxDocs = Parameter.intParam("exact_segment_max_docs", false,
                m -> toType(m).config.exactSegmentMaxDocs(), DEFAULTS.exactSegmentMaxDocs())
                .setValidator(v -> nonNegative("exact_segment_max_docs", v));
        private final Parameter<String> vocabulary = Parameter.stringParam("vocabulary", false,
                m -> toType(m).vocabularyName, "");
        private final Parameter<String> model = Parameter.stringParam("model", false, m -> toType(m).modelName, "");
        private final Parameter<Double> recallTarget = Parameter.doubleParam("recall_target", false,
                m -> toType(m).config.recallTarget(), 0.0)
                .setValidator(v -> {
                    if (!(v == 0.0 || v > 0.0 && v <= 1.0)) {
                        throw new IllegalArgumentException("[recall_target] must be in (0, 1], was " + v);
                    }
                });
        private final Parameter<Map<String, String>> meta = Parameter.metaParam();
        private final ModelVocabularies vocabularies;
        private final ModelEncoders encoders;

        public Builder(String name, ModelVocabularies vocabularies, ModelEncoders encoders) {
            super(name);
            this.vocabularies = vocabularies;
            this.encoders = encoders;
        }

        @Override
        protected List<Parameter<?>> getParameters() {
            return List.of(dim, vocabulary, model, nPostings, centroidFraction, summaryAlpha, recallTarget, exactSegmentMaxDocs,
                    meta);
        }

        @Override
        public LsrSparseVectorFieldMapper build(BuilderContext context) {
            if (recallTarget.getValue() > 0
                    && (nPostings.isConfigured() || centroidFraction.isConfigured() || summaryAlpha.isConfigured())) {
                // The tuner picks these per segment; accepting both would silently ignore one.
                throw new IllegalArgumentException("field [" + name + "]: [recall_target] chooses the build settings;"
                        + " drop [n_postings], [centroid_fraction] and [summary_alpha] or drop [recall_target]");
            }
            String modelName = model.getValue();
            if (!modelName.isEmpty()) {
                if (vocabulary.isConfigured()) {
                    throw new IllegalArgumentException("field [" + name + "]: [model] brings its own vocabulary;"
                            + " give [model] or [vocabulary], not both");
                }
                encoders.checkedDirectory("model", modelName);
            }
            String vocabName = modelName.isEmpty() ? vocabulary.getValue() : modelName;
            Vocabulary vocab = vocabName.isEmpty() ? null : vocabularies.get(vocabName);
            int d = dim.getValue();
            if (vocab != null) {
                if (dim.isConfigured() && d != vocab.size()) {
                    throw new IllegalArgumentException("field [" + name + "]: [dim] " + d + " differs from the "
                            + vocab.size() + " tokens of [" + (modelName.isEmpty() ? "vocabulary" : "model") + "] ["
                            + vocabName + "]; drop [dim] or make them agree");
                }
                d = vocab.size();
            }
            BuildParams params = DEFAULTS.build()
                    .withNPostings(nPostings.getValue())
                    .withCentroidFraction(centroidFraction.getValue())
                    .withSummaryAlpha(summaryAlpha.getValue());
            SparseBuildConfig config = new SparseBuildConfig(d, exactSegmentMaxDocs.getValue(), params,
                    WeightEncoding.F16).withRecallTarget(recallTarget.getValue());
            return new LsrSparseVectorFieldMapper(name,
                    new FieldType(buildFullName(context), config, vocab, modelName.isEmpty() ? null : modelName, encoders,
                            meta.getValue()),
                    multiFieldsBuilder.build(this, context), copyTo.build(), config, vocabulary.getValue(), modelName,
                    vocabularies, encoders);
        }

        private static void positive(String key, int v) {
            if (v < 1) {
                throw new IllegalArgumentException("[" + key + "] must be >= 1, was " + v);
            }
        }

        private static void nonNegative(String key, int v) {
            if (v < 0) {
                throw new IllegalArgumentException("[" + key + "] must be >= 0, was " + v);
            }
        }

        private static void fraction(String key, float v) {
            if (!(v > 0f && v <= 1f)) {
                throw new IllegalArgumentException("[" + key + "] must be in (0, 1], was " + v);
            }
        }
    }

    /** What searches need to know about the field: its vocabulary (size and tokens), model and build settings. */
    public static final class FieldType extends MappedFieldType {

        private final SparseBuildConfig config;
        private final Vocabulary vocabulary;
        private final String model;
        private final ModelEncoders encoders;

        public FieldType(String name, SparseBuildConfig config, Vocabulary vocabulary, String model, ModelEncoders encoders,
                Map<String, String> meta) {
            super(name, false, false, true, TextSearchInfo.NONE, meta);
            this.config = config;
            this.vocabulary = vocabulary;
            this.model = model;
            this.encoders = encoders;
        }

        /** The mapping's {@code model}, or null when it names none. */
        public String model() {
            return model;
        }

        /**
         * {@code text} as a query vector by the field's model (loaded on this node's first text
         * query); refused when the field has no {@code model}.
         */
        public SparseVector encodeQuery(String text) {
            if (model == null) {
                throw new IllegalArgumentException("field [" + name() + "] is mapped without a [model], so it cannot encode"
                        + " [text]; send [vector] or [tokens], or map the field with [model]");
            }
            return encoders.get("model", model).encodeQuery(text).vector();
        }

        public int dim() {
            return config.dim();
        }

        /** The tokens of the mapping's {@code vocabulary}, or null when it names none. */
        public Vocabulary vocabulary() {
            return vocabulary;
        }

        public SparseBuildConfig buildConfig() {
            return config;
        }

        @Override
        public String typeName() {
            return CONTENT_TYPE;
        }

        @Override
        public ValueFetcher valueFetcher(QueryShardContext context, SearchLookup lookup, String format) {
            return SourceValueFetcher.identity(name(), context, format);
        }

        @Override
        public Query termQuery(Object value, QueryShardContext context) {
            throw new IllegalArgumentException("field [" + name() + "] of type [" + CONTENT_TYPE
                    + "] is searched with the [lsr_sparse] query only");
        }
    }

    private final SparseBuildConfig config;
    private final String vocabularyName;
    private final String modelName;
    private final ModelVocabularies vocabularies;
    private final ModelEncoders encoders;

    private LsrSparseVectorFieldMapper(String simpleName, FieldType type, MultiFields multiFields, CopyTo copyTo,
            SparseBuildConfig config, String vocabularyName, String modelName, ModelVocabularies vocabularies,
            ModelEncoders encoders) {
        super(simpleName, type, multiFields, copyTo);
        this.config = config;
        this.vocabularyName = vocabularyName;
        this.modelName = modelName;
        this.vocabularies = vocabularies;
        this.encoders = encoders;
    }

    @Override
    public FieldType fieldType() {
        return (FieldType) super.fieldType();
    }

    @Override
    protected void parseCreateField(ParseContext context) throws IOException {
        XContentParser parser = context.parser();
        if (parser.currentToken() == XContentParser.Token.VALUE_NULL) {
            return;
        }
        String name = fieldType().name();
        if (context.doc().getField(name) != null) {
            throw new IllegalArgumentException("field [" + name + "] takes one vector per document, got more");
        }
        SparseVector v = SparseVectorJson.parse(parser, config.dim(), fieldType().vocabulary(), "field [" + name + "]");
        context.doc().add(new BinaryDocValuesField(name, VectorBytes.encode(v)));
    }

    @Override
    public ParametrizedFieldMapper.Builder getMergeBuilder() {
        return new Builder(simpleName(), vocabularies, encoders).init(this);
    }

    @Override
    protected String contentType() {
        return CONTENT_TYPE;
    }
}
