package dev.lsr.index.codec;

import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.codecs.DocValuesFormat;
import org.apache.lucene.codecs.FilterCodec;
import org.apache.lucene.codecs.perfield.PerFieldDocValuesFormat;

/**
 * Lucene's default codec with one change: the sparse vector field's doc values go through
 * {@link SparseVectorsFormat}, which also builds a Seismic structure for each flushed or merged
 * segment. Registered by SPI so that Lucene can read segments written with it.
 *
 * <p>The no-argument constructor (used by SPI when reading) carries default build settings; only
 * writers need the collection's own, and they pass them explicitly.
 */
public final class LsrCodec extends FilterCodec {

    public static final String NAME = "Lsr100";
    // The delegate is pinned (not Codec.getDefault()) so a Lucene upgrade cannot silently change
    // the formats of existing collections; Codec.forName cannot be used inside an SPI constructor.

    private final DocValuesFormat sparseFormat;
    private final DocValuesFormat perField;
    private final String sparseField;

    public LsrCodec() {
        this(SparseVectorsFormat.DEFAULT_FIELD, SparseBuildConfig.defaults());
    }

    public LsrCodec(String sparseField, SparseBuildConfig config) {
        super(NAME, new Lucene104Codec());
        this.sparseField = sparseField;
        this.sparseFormat = new SparseVectorsFormat(config);
        DocValuesFormat fallback = delegate.docValuesFormat();
        this.perField = new PerFieldDocValuesFormat() {
            @Override
            public DocValuesFormat getDocValuesFormatForField(String field) {
                return field.equals(LsrCodec.this.sparseField) ? sparseFormat : innerFormat(fallback, field);
            }
        };
    }

    private static DocValuesFormat innerFormat(DocValuesFormat fallback, String field) {
        return fallback instanceof PerFieldDocValuesFormat p
                ? p.getDocValuesFormatForField(field)
                : fallback;
    }

    @Override
    public DocValuesFormat docValuesFormat() {
        return perField;
    }
}
