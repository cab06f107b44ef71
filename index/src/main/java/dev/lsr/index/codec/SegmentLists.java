package dev.lsr.index.codec;

import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.search.InvertedExactSearcher;
import dev.lsr.seismic.search.InvertedLists;
import dev.lsr.seismic.search.SearchParams;
import java.io.IOException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.IntPredicate;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.store.ByteArrayDataInput;
import org.apache.lucene.util.BytesRef;

/**
 * Unpruned inverted lists of a segment that has no Seismic structure (below
 * {@code exact_segment_max_docs}), built in the heap from the segment's stored float vectors the
 * first time the segment is searched, and searched exactly term-at-a-time
 * ({@link InvertedExactSearcher#inTermOrder}): the cost of a query is the postings of its own
 * terms, where a scan of the stored vectors decodes every document. Scores are the stored
 * vectors' dot products bit for bit ({@link VectorBytes#dot} adds the same products in the same
 * term order), so hits equal the scan's. Heap: 8 bytes per posting plus 8 per vocabulary entry,
 * bounded by the segment size threshold. Thread-safe: a searcher (with its per-document
 * accumulator) per concurrent search, pooled.
 */
public final class SegmentLists {

    private final InvertedLists lists;
    private final ConcurrentLinkedQueue<InvertedExactSearcher> searchers = new ConcurrentLinkedQueue<>();

    private SegmentLists(InvertedLists lists) {
        this.lists = lists;
    }

    /** Inverts the segment's vectors in two passes over {@code first} and {@code second} (two fresh iterators). */
    static SegmentLists build(BinaryDocValues first, BinaryDocValues second, int maxDoc, int dim) throws IOException {
        int[] counts = new int[dim];
        int longest = 0;
        ByteArrayDataInput in = new ByteArrayDataInput();
        for (int doc = first.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = first.nextDoc()) {
            BytesRef b = first.binaryValue();
            in.reset(b.bytes, b.offset, b.length);
            int n = in.readVInt();
            longest = Math.max(longest, n);
            int id = 0;
            for (int i = 0; i < n; i++) {
                id += in.readVInt();
                in.skipBytes(Integer.BYTES);
                counts[id]++;
            }
        }
        InvertedLists.Builder builder = InvertedLists.builder(maxDoc, dim, counts);
        int[] ids = new int[longest];
        float[] weights = new float[longest];
        for (int doc = second.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = second.nextDoc()) {
            int n = VectorBytes.decodeInto(second.binaryValue(), ids, weights, in);
            builder.add(doc, ids, weights, n);
        }
        return new SegmentLists(builder.build());
    }

    /** Postings of the query's terms: what {@link #search} reads. */
    public long postingsOf(SparseVector q) {
        long sum = 0;
        for (int i = 0; i < q.size(); i++) {
            sum += lists.length(q.index(i));
        }
        return sum;
    }

    /** Average stored vector length (entries per document of the segment). */
    public double averageLength() {
        return lists.size() == 0 ? 0 : lists.postings() / (double) lists.size();
    }

    /**
     * The k best documents (segment doc ids) sharing a term with {@code q} among those
     * {@code acceptOrNull} lets through, best first, ties by lower doc id; scores are the stored
     * vectors' dot products. {@code outDocs} and {@code outScores} hold at least k.
     */
    public int search(SparseVector q, int k, IntPredicate acceptOrNull, int[] outDocs, float[] outScores) {
        InvertedExactSearcher s = searchers.poll();
        if (s == null) {
            s = InvertedExactSearcher.inTermOrder(lists);
        }
        try {
            return s.search(q, SearchParams.defaults().withK(k), acceptOrNull, outDocs, outScores);
        } finally {
            searchers.offer(s);
        }
    }

    /** Heap bytes of the lists. */
    public long bytes() {
        return lists.bytes();
    }
}
