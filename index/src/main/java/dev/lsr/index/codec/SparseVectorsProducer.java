package dev.lsr.index.codec;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import org.apache.lucene.codecs.CodecUtil;
import org.apache.lucene.codecs.DocValuesProducer;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.DocValuesSkipper;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.IndexFileNames;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.SortedNumericDocValues;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.util.IOUtils;

/**
 * Reads the sparse field: binary doc values from Lucene's producer, wrapped so that searches can
 * reach the segment's {@link SparseSegment} (opened once per segment core, shared by every
 * reader of that segment, released when Lucene closes the producer).
 */
final class SparseVectorsProducer extends DocValuesProducer {

    private final DocValuesProducer delegate;
    private final SparseSegment segment;
    private final IndexInput input;
    /** False for merge instances, which share the original's resources and must not close them. */
    private final boolean owner;

    SparseVectorsProducer(DocValuesProducer delegate, SegmentReadState state) throws IOException {
        String name = IndexFileNames.segmentFileName(
                state.segmentInfo.name, state.segmentSuffix, SparseVectorsFormat.EXTENSION);
        IndexInput in = null;
        boolean success = false;
        try {
            try {
                in = state.directory.openInput(name, state.context);
            } catch (NoSuchFileException | java.io.FileNotFoundException e) {
                // Lucene opens this producer only for segments that have the field, and the
                // consumer writes the file for every such segment (flush and merge alike): a
                // missing file is damage, never a reason to fall back to an exact scan.
                throw new CorruptIndexException("sparse segment file " + name + " of segment "
                        + state.segmentInfo.name + " is missing", name, e);
            }
            {
                CodecUtil.checkIndexHeader(in, SparseVectorsFormat.CODEC_NAME, SparseVectorsFormat.VERSION_START,
                        SparseVectorsFormat.VERSION_CURRENT, state.segmentInfo.getId(), state.segmentSuffix);
                long afterHeader = in.getFilePointer();
                // Validates footer structure and length cheaply; the full checksum runs in checkIntegrity.
                CodecUtil.retrieveChecksum(in);
                in.seek(afterHeader);
                int dim = in.readInt();
                int maxDoc = in.readInt();
                byte kind = in.readByte();
                if (maxDoc != state.segmentInfo.maxDoc()) {
                    throw new CorruptIndexException("sparse file maxDoc " + maxDoc + " != segment maxDoc "
                            + state.segmentInfo.maxDoc(), in);
                }
                long trailer = in.length() - CodecUtil.footerLength() - 2L * Long.BYTES;
                int tunedQueryCut = 0;
                float tunedHeapFactor = 0f;
                int tunedDepth = 0;
                if (kind == SparseSegment.KIND_SEISMIC_TUNED_AT_DEPTH) {
                    in.seek(trailer - 3L * Integer.BYTES);
                    tunedDepth = in.readInt();
                    if (tunedDepth < 1) {
                        throw new CorruptIndexException("tuned depth " + tunedDepth + " out of range", in);
                    }
                } else if (kind == SparseSegment.KIND_SEISMIC_TUNED) {
                    tunedDepth = SegmentSelfCheck.K;
                    in.seek(trailer - 2L * Integer.BYTES);
                }
                if (tunedDepth > 0) {
                    tunedQueryCut = in.readInt();
                    tunedHeapFactor = Float.intBitsToFloat(in.readInt());
                    if (tunedQueryCut < 1 || !(tunedHeapFactor >= 0f && tunedHeapFactor <= 1f)) {
                        throw new CorruptIndexException("tuned search setting " + tunedQueryCut + "/" + tunedHeapFactor
                                + " out of range", in);
                    }
                }
                in.seek(trailer);
                long blobStart = in.readLong();
                long blobLength = in.readLong();
                segment = SparseSegment.open(kind, dim, maxDoc, in, blobStart, blobLength, name, tunedQueryCut,
                        tunedHeapFactor, tunedDepth);
            }
            this.delegate = delegate;
            this.input = in;
            this.owner = true;
            success = true;
        } finally {
            if (!success) {
                IOUtils.closeWhileHandlingException(in, delegate);
            }
        }
    }

    private SparseVectorsProducer(DocValuesProducer delegate, SparseSegment segment, IndexInput input) {
        this.delegate = delegate;
        this.segment = segment;
        this.input = input;
        this.owner = false;
    }

    @Override
    public BinaryDocValues getBinary(FieldInfo field) throws IOException {
        return segment == null ? delegate.getBinary(field) : new SparseBinaryDocValues(() -> delegate.getBinary(field), segment);
    }

    @Override
    public NumericDocValues getNumeric(FieldInfo field) throws IOException {
        return delegate.getNumeric(field);
    }

    @Override
    public SortedDocValues getSorted(FieldInfo field) throws IOException {
        return delegate.getSorted(field);
    }

    @Override
    public SortedNumericDocValues getSortedNumeric(FieldInfo field) throws IOException {
        return delegate.getSortedNumeric(field);
    }

    @Override
    public SortedSetDocValues getSortedSet(FieldInfo field) throws IOException {
        return delegate.getSortedSet(field);
    }

    @Override
    public DocValuesSkipper getSkipper(FieldInfo field) throws IOException {
        return delegate.getSkipper(field);
    }

    @Override
    public void checkIntegrity() throws IOException {
        delegate.checkIntegrity();
        if (input != null) {
            CodecUtil.checksumEntireFile(input);
        }
    }

    @Override
    public DocValuesProducer getMergeInstance() {
        // Merges read the vectors back through the binary values; the structure is not needed.
        return new SparseVectorsProducer(delegate.getMergeInstance(), segment, input);
    }

    @Override
    public void close() throws IOException {
        if (owner) {
            IOUtils.close(delegate, segment, input);
        }
    }
}
