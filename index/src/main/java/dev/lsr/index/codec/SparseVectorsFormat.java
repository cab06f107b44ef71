package dev.lsr.index.codec;

import java.io.IOException;
import org.apache.lucene.codecs.DocValuesConsumer;
import org.apache.lucene.codecs.DocValuesFormat;
import org.apache.lucene.codecs.DocValuesProducer;
import org.apache.lucene.codecs.lucene90.Lucene90DocValuesFormat;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.SegmentWriteState;

/**
 * Doc values format of the sparse vector field. The packed vectors themselves are ordinary
 * Lucene90 binary doc values (so Lucene merges and deletes them); next to them, in a file named
 * by the segment ({@code <segment>_<suffix>.lsrs}), the consumer writes the segment's Seismic
 * structure. Because the file is created through the segment's (tracking) directory it is listed
 * in the segment's files, copied into compound files, and deleted with the segment.
 */
public final class SparseVectorsFormat extends DocValuesFormat {

    public static final String NAME = "LsrSparse100";
    public static final String DEFAULT_FIELD = "_vector";
    static final String EXTENSION = "lsrs";
    static final String CODEC_NAME = "LsrSparseSegment";
    static final int VERSION_START = 0;
    /** Tuned segments also record the depth their recall was checked at (kind 3). */
    static final int VERSION_TUNED_DEPTH = 1;
    static final int VERSION_CURRENT = VERSION_TUNED_DEPTH;

    private final DocValuesFormat delegate = new Lucene90DocValuesFormat();
    private final SparseBuildConfig config;

    /** For SPI (reading): readers need no build settings. */
    public SparseVectorsFormat() {
        this(SparseBuildConfig.defaults());
    }

    public SparseVectorsFormat(SparseBuildConfig config) {
        super(NAME);
        this.config = config;
    }

    @Override
    public DocValuesConsumer fieldsConsumer(SegmentWriteState state) throws IOException {
        return new SparseVectorsConsumer(delegate.fieldsConsumer(state), state, config);
    }

    @Override
    public DocValuesProducer fieldsProducer(SegmentReadState state) throws IOException {
        return new SparseVectorsProducer(delegate.fieldsProducer(state), state);
    }
}
