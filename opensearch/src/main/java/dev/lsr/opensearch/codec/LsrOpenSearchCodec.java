package dev.lsr.opensearch.codec;

import dev.lsr.index.codec.SparseBuildConfig;
import dev.lsr.index.codec.SparseVectorsFormat;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.DocValuesFormat;
import org.apache.lucene.codecs.FilterCodec;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.codecs.perfield.PerFieldDocValuesFormat;

/**
 * The engine's codec with one change: the doc values of {@code lsr_sparse_vector} fields go
 * through lsr's {@link SparseVectorsFormat} (Lucene90 binary doc values plus the segment's Seismic
 * structure, built at flush and merge). Every other format is the engine's own, so OpenSearch's
 * choices (stored-field compression, postings per field) are kept.
 */
public final class LsrOpenSearchCodec extends FilterCodec {

    public static final String NAME = "LsrOpenSearch100";

    private final Function<String, SparseBuildConfig> sparseFields;
    private final ConcurrentMap<String, DocValuesFormat> sparseFormats = new ConcurrentHashMap<>();
    private final DocValuesFormat perField;

    /**
     * For SPI, when Lucene opens a segment written with this codec. Reading needs no mapping: the
     * per-field formats are recorded by name in the segment. The delegate must be constructed here
     * (Codec.forName cannot run inside an SPI constructor); the formats it contributes on read
     * (stored fields, points, norms, ...) are those of the engine's default codec on this Lucene,
     * whose stored-field mode is itself recorded in the segment.
     */
    public LsrOpenSearchCodec() {
        this(new Lucene104Codec(), field -> null);
    }

    public LsrOpenSearchCodec(Codec engineCodec, Function<String, SparseBuildConfig> sparseFields) {
        super(NAME, engineCodec);
        this.sparseFields = sparseFields;
        DocValuesFormat fallback = engineCodec.docValuesFormat();
        this.perField = new PerFieldDocValuesFormat() {
            @Override
            public DocValuesFormat getDocValuesFormatForField(String field) {
                SparseBuildConfig config = LsrOpenSearchCodec.this.sparseFields.apply(field);
                if (config != null) {
                    // One instance per field: PerFieldDocValuesFormat gives each instance its own
                    // consumer and file suffix, so two lsr fields keep their own settings.
                    return sparseFormats.computeIfAbsent(field, f -> new SparseVectorsFormat(config));
                }
                return fallback instanceof PerFieldDocValuesFormat p ? p.getDocValuesFormatForField(field) : fallback;
            }
        };
    }

    @Override
    public DocValuesFormat docValuesFormat() {
        return perField;
    }
}
