package dev.lsr.index.codec;

import dev.lsr.seismic.forward.ForwardIndex;
import dev.lsr.seismic.forward.ForwardIndexWriter;
import java.io.IOException;
import dev.lsr.seismic.search.SearchParams;
import org.apache.lucene.codecs.CodecUtil;
import org.apache.lucene.codecs.DocValuesConsumer;
import org.apache.lucene.codecs.DocValuesProducer;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.IndexFileNames;
import org.apache.lucene.index.SegmentWriteState;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.store.ByteArrayDataInput;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexOutput;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.IOUtils;

/**
 * Writes the sparse field's binary doc values through Lucene's own consumer, then builds the
 * segment's sparse structure from the same values. Called at flush and (through
 * {@code mergeBinaryField}, which presents the merged, deletion-free view) at merge, so every
 * segment that exists on disk has a structure matching exactly its documents, or, for a flushed
 * segment when {@link SparseBuildConfig#buildAtFlush()} is false, none yet (kind exact, marked
 * with {@link SparseBuildConfig#PENDING_ATTRIBUTE} for a background build).
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

    /**
     * The collection size the segment's self-check depth is taken from: the count at the flush of
     * the pending segment this build rewrites, when the build carries it
     * ({@link SparseBuildConfig#FLUSH_COLLECTION_DOCS_ATTRIBUTE}), else the count now.
     */
    private long collectionDocumentsToCheckAt() {
        String atFlush = state.segmentInfo.getAttribute(SparseBuildConfig.FLUSH_COLLECTION_DOCS_ATTRIBUTE);
        if (atFlush != null) {
            try {
                return Long.parseLong(atFlush);
            } catch (NumberFormatException e) {
                // Not ours or damaged: the count now is as good a depth as any, and the build stays valid.
            }
        }
        return config.collectionDocuments();
    }

    private void writeSparseFile(FieldInfo field, DocValuesProducer values) throws IOException {
        int maxDoc = state.segmentInfo.maxDoc();
        boolean large = maxDoc >= config.exactSegmentMaxDocs() && maxDoc > 0;
        // A merge (a singleton build merge included) always builds; a flush only when configured
        // to, else the segment is written exact (valid and searchable as it is) and marked pending.
        boolean merging = state.context.context() == IOContext.Context.MERGE;
        boolean approximate = large && (merging || config.buildAtFlush());
        // A merge nobody waits for (not forceMerge's: mergeMaxNumSegments -1) leaves a core to
        // the indexing threads.
        boolean background = merging
                && (state.context.mergeInfo() == null || state.context.mergeInfo().mergeMaxNumSegments() < 1);
        SparseBuildConfig config = background ? this.config.inBackground() : this.config;
        if (large && !approximate) {
            state.segmentInfo.putAttribute(SparseBuildConfig.PENDING_ATTRIBUTE, "true");
            state.segmentInfo.putAttribute(SparseBuildConfig.FLUSH_COLLECTION_DOCS_ATTRIBUTE,
                    Long.toString(config.collectionDocuments()));
        }
        String name = IndexFileNames.segmentFileName(
                state.segmentInfo.name, state.segmentSuffix, SparseVectorsFormat.EXTENSION);
        boolean success = false;
        IndexOutput out = state.directory.createOutput(name, state.context);
        try {
            CodecUtil.writeIndexHeader(out, SparseVectorsFormat.CODEC_NAME, SparseVectorsFormat.VERSION_CURRENT,
                    state.segmentInfo.getId(), state.segmentSuffix);
            out.writeInt(config.dim());
            out.writeInt(maxDoc);
            ForwardIndex forward = approximate ? readForward(field, values, maxDoc) : null;
            // A segment with no entries at all has nothing to draw pseudo-queries from: plain build.
            boolean tuned = approximate && config.recallTarget() > 0 && SegmentSelfCheck.applicable(forward);
            out.writeByte((byte) (!approximate ? SparseSegment.KIND_EXACT
                    : tuned ? SparseSegment.KIND_SEISMIC_TUNED_AT_DEPTH : SparseSegment.KIND_SEISMIC));
            long blobStart = 0;
            long blobLength = 0;
            SearchParams chosen = null;
            int depth = 0;
            if (approximate) {
                // The blob is read in place through a MemorySegment slice; keep it 64-byte aligned
                // relative to the file (compound files keep sub-files 8-byte aligned).
                while (out.getFilePointer() % 64 != 0) {
                    out.writeByte((byte) 0);
                }
                blobStart = out.getFilePointer();
                if (tuned) {
                    depth = SegmentSelfCheck.depth(SegmentSelfCheck.K, maxDoc, collectionDocumentsToCheckAt());
                    chosen = SeismicBlobs.writeTuned(forward, config, depth, out);
                } else {
                    SeismicBlobs.write(forward, config, out);
                }
                blobLength = out.getFilePointer() - blobStart;
            }
            if (tuned) {
                // Only tuned segments carry a setting (a new kind, so files without one are unchanged).
                out.writeInt(depth);
                out.writeInt(chosen.queryCut());
                out.writeInt(Float.floatToIntBits(chosen.heapFactor()));
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

    /**
     * The segment's vectors by docID as a forward index written straight into native memory, in
     * two streaming passes over the doc values: the first counts entries (reading only each
     * value's leading vint), the second decodes every value into reused arrays and appends it.
     * No vector is materialised on the heap, so a merge's heap does not grow with its size (the
     * Seismic build itself is bounded separately; see the module README). A document without the
     * field gets the empty vector.
     */
    private ForwardIndex readForward(FieldInfo field, DocValuesProducer values, int maxDoc) throws IOException {
        long nnz = 0;
        int longest = 0;
        ByteArrayDataInput in = new ByteArrayDataInput();
        BinaryDocValues dv = values.getBinary(field);
        for (int doc = dv.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = dv.nextDoc()) {
            BytesRef b = dv.binaryValue();
            in.reset(b.bytes, b.offset, b.length);
            int n = in.readVInt();
            nnz += n;
            longest = Math.max(longest, n);
        }
        ForwardIndexWriter writer = new ForwardIndexWriter(config.dim(), config.encoding(), maxDoc, nnz);
        int[] ids = new int[longest];
        float[] weights = new float[longest];
        int next = 0;
        dv = values.getBinary(field);
        for (int doc = dv.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = dv.nextDoc()) {
            for (; next < doc; next++) {
                writer.add(ids, weights, 0);
            }
            int n = VectorBytes.decodeInto(dv.binaryValue(), ids, weights, in);
            writer.add(ids, weights, n);
            next++;
        }
        for (; next < maxDoc; next++) {
            writer.add(ids, weights, 0);
        }
        return writer.finish();
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
