package dev.lsr.index.codec;

import dev.lsr.seismic.SparseVector;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.codecs.CodecUtil;
import org.apache.lucene.codecs.DocValuesConsumer;
import org.apache.lucene.codecs.DocValuesProducer;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.IndexFileNames;
import org.apache.lucene.index.SegmentWriteState;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.store.IndexOutput;
import org.apache.lucene.util.IOUtils;

/**
 * Writes the sparse field's binary doc values through Lucene's own consumer, then builds the
 * segment's sparse structure from the same values. Called at flush and (through
 * {@code mergeBinaryField}, which presents the merged, deletion-free view) at merge, so every
 * segment that exists on disk has a structure matching exactly its documents.
 */
final class SparseVectorsConsumer extends DocValuesConsumer {

    private final DocValuesConsumer delegate;
    private final SegmentWriteState state;
    private final SparseBuildConfig config;
    private boolean wroteSparse;

    SparseVectorsConsumer(DocValuesConsumer delegate, SegmentWriteState state, SparseBuildConfig config) {
        this.delegate = delegate;
        this.state = state;
        this.config = config;
    }

    @Override
    public void addBinaryField(FieldInfo field, DocValuesProducer values) throws IOException {
        delegate.addBinaryField(field, values);
        if (wroteSparse) {
            throw new IllegalStateException("only one sparse vector field per segment is supported: " + field.name);
        }
        wroteSparse = true;
        writeSparseFile(field, values);
    }

    private void writeSparseFile(FieldInfo field, DocValuesProducer values) throws IOException {
        int maxDoc = state.segmentInfo.maxDoc();
        boolean approximate = maxDoc >= config.exactSegmentMaxDocs() && maxDoc > 0;
        String name = IndexFileNames.segmentFileName(
                state.segmentInfo.name, state.segmentSuffix, SparseVectorsFormat.EXTENSION);
        boolean success = false;
        IndexOutput out = state.directory.createOutput(name, state.context);
        try {
            CodecUtil.writeIndexHeader(out, SparseVectorsFormat.CODEC_NAME, SparseVectorsFormat.VERSION_CURRENT,
                    state.segmentInfo.getId(), state.segmentSuffix);
            out.writeInt(config.dim());
            out.writeInt(maxDoc);
            out.writeByte((byte) (approximate ? SparseSegment.KIND_SEISMIC : SparseSegment.KIND_EXACT));
            long blobStart = 0;
            long blobLength = 0;
            if (approximate) {
                // The blob is read in place through a MemorySegment slice; keep it 64-byte aligned
                // relative to the file (compound files keep sub-files 8-byte aligned).
                while (out.getFilePointer() % 64 != 0) {
                    out.writeByte((byte) 0);
                }
                blobStart = out.getFilePointer();
                SeismicBlobs.write(readVectors(field, values, maxDoc), config, out);
                blobLength = out.getFilePointer() - blobStart;
            }
            out.writeLong(blobStart);
            out.writeLong(blobLength);
            CodecUtil.writeFooter(out);
            success = true;
        } finally {
            if (success) {
                IOUtils.close(out);
            } else {
                IOUtils.closeWhileHandlingException(out);
                IOUtils.deleteFilesIgnoringExceptions(state.directory, name);
            }
        }
    }

    /** The segment's vectors by docID; a document without the field gets the empty vector. */
    private List<SparseVector> readVectors(FieldInfo field, DocValuesProducer values, int maxDoc) throws IOException {
        List<SparseVector> vectors = new ArrayList<>(maxDoc);
        BinaryDocValues dv = values.getBinary(field);
        for (int doc = dv.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = dv.nextDoc()) {
            while (vectors.size() < doc) {
                vectors.add(SparseVector.empty());
            }
            vectors.add(VectorBytes.decode(dv.binaryValue(), config.dim()));
        }
        while (vectors.size() < maxDoc) {
            vectors.add(SparseVector.empty());
        }
        return vectors;
    }

    @Override
    public void addNumericField(FieldInfo field, DocValuesProducer values) throws IOException {
        delegate.addNumericField(field, values);
    }

    @Override
    public void addSortedField(FieldInfo field, DocValuesProducer values) throws IOException {
        delegate.addSortedField(field, values);
    }

    @Override
    public void addSortedNumericField(FieldInfo field, DocValuesProducer values) throws IOException {
        delegate.addSortedNumericField(field, values);
    }

    @Override
    public void addSortedSetField(FieldInfo field, DocValuesProducer values) throws IOException {
        delegate.addSortedSetField(field, values);
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }
}
