package dev.lsr.index;

import dev.lsr.index.write.Fields;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.store.ByteArrayDataInput;
import org.apache.lucene.util.BytesRef;

/**
 * Per-term document counts of a collection (for IDF), computed once per segment core and cached
 * until Lucene closes that core, so repeated calls cost one pass over new segments only.
 */
final class DocumentFrequencies {

    private final int dim;
    private final Map<Object, int[]> cache = new ConcurrentHashMap<>();

    DocumentFrequencies(int dim) {
        this.dim = dim;
    }

    int[] of(IndexReader reader) throws IOException {
        int[] total = new int[dim];
        for (LeafReaderContext leaf : reader.leaves()) {
            int[] df = segment(leaf.reader());
            for (int t = 0; t < total.length; t++) {
                total[t] += df[t];
            }
        }
        return total;
    }

    private int[] segment(LeafReader reader) throws IOException {
        IndexReader.CacheHelper helper = reader.getCoreCacheHelper();
        int[] cached = helper == null ? null : cache.get(helper.getKey());
        if (cached != null) {
            return cached;
        }
        int[] df = new int[dim];
        BinaryDocValues values = reader.getBinaryDocValues(Fields.VECTOR);
        if (values != null) {
            ByteArrayDataInput in = new ByteArrayDataInput();
            for (int doc = values.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = values.nextDoc()) {
                BytesRef b = values.binaryValue();
                in.reset(b.bytes, b.offset, b.length);
                int n = in.readVInt();
                int id = 0;
                for (int i = 0; i < n; i++) {
                    id += in.readVInt();
                    in.skipBytes(Float.BYTES);
                    df[id]++;
                }
            }
        }
        if (helper != null && cache.putIfAbsent(helper.getKey(), df) == null) {
            helper.addClosedListener(cache::remove);
        }
        return df;
    }
}
