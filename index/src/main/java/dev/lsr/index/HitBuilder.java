package dev.lsr.index;

import dev.lsr.index.codec.VectorBytes;
import dev.lsr.index.search.Explanations;
import dev.lsr.index.search.ScoredDocs;
import dev.lsr.index.write.Fields;
import dev.lsr.seismic.SparseVector;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Turns top-level doc ids into {@link Hit}s and {@link Document}s: ids, stored fields, vectors, explanations. */
final class HitBuilder {

    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

    private final int dim;
    private final JsonMapper json;

    HitBuilder(int dim, JsonMapper json) {
        this.dim = dim;
        this.json = json;
    }

    List<Hit> hits(IndexSearcher searcher, SearchRequest request, ScoredDocs top) throws IOException {
        List<Hit> hits = new ArrayList<>(top.size());
        StoredFields stored = searcher.storedFields();
        // Without stored fields the ids come from doc values (an explanation, if asked, from the vector).
        String[] ids = request.storedFields() ? null : idsOf(searcher, stored, top.docs(), top.size());
        for (int i = 0; i < top.size(); i++) {
            int doc = top.docs()[i];
            List<TermContribution> explanation = null;
            if (request.explain()) {
                explanation = request.vector() == null
                        ? List.of()
                        : Explanations.contributions(request.vector(), vectorOf(searcher, doc));
            }
            if (ids != null) {
                hits.add(new Hit(ids[i], top.scores()[i], null, null, null, explanation));
            } else {
                org.apache.lucene.document.Document d = stored.document(doc);
                hits.add(new Hit(d.get(Fields.ID), top.scores()[i], d.get(Fields.TITLE), d.get(Fields.TEXT),
                        metadataOf(d), explanation));
            }
        }
        return hits;
    }

    /** The document with this id (with its vector) in this searcher's view. */
    Optional<Document> get(IndexSearcher searcher, String id) throws IOException {
        TopDocs td = searcher.search(new TermQuery(new Term(Fields.ID, id)), 1);
        if (td.scoreDocs.length == 0) {
            return Optional.empty();
        }
        int doc = td.scoreDocs[0].doc;
        org.apache.lucene.document.Document d = searcher.storedFields().document(doc);
        return Optional.of(new Document(d.get(Fields.ID), d.get(Fields.TITLE), d.get(Fields.TEXT),
                metadataOf(d), vectorOf(searcher, doc)));
    }

    /**
     * The hits' ids from their doc values, visited in doc order so that each segment's values are
     * opened once; from the stored fields in segments written before the doc value existed.
     */
    static String[] idsOf(IndexSearcher searcher, StoredFields stored, int[] docs, int n) throws IOException {
        // (doc, position) packed into one long: sorting primitives, no boxed comparator.
        long[] order = new long[n];
        for (int i = 0; i < n; i++) {
            order[i] = ((long) docs[i] << 32) | i;
        }
        Arrays.sort(order);
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        String[] out = new String[n];
        int leafIndex = -1;
        LeafReaderContext leaf = null;
        BinaryDocValues ids = null;
        for (long packed : order) {
            int doc = (int) (packed >>> 32);
            int i = (int) packed;
            int li = ReaderUtil.subIndex(doc, leaves);
            if (li != leafIndex) {
                leafIndex = li;
                leaf = leaves.get(li);
                ids = leaf.reader().getBinaryDocValues(Fields.ID_VALUES);
            }
            out[i] = ids != null && ids.advanceExact(doc - leaf.docBase)
                    ? ids.binaryValue().utf8ToString()
                    : stored.document(doc, Set.of(Fields.ID)).get(Fields.ID);
        }
        return out;
    }

    private SparseVector vectorOf(IndexSearcher searcher, int doc) throws IOException {
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
        BinaryDocValues values = leaf.reader().getBinaryDocValues(Fields.VECTOR);
        if (values == null || !values.advanceExact(doc - leaf.docBase)) {
            return SparseVector.empty();
        }
        return VectorBytes.decode(values.binaryValue(), dim);
    }

    private Map<String, Object> metadataOf(org.apache.lucene.document.Document d) {
        String s = d.get(Fields.METADATA);
        return s == null ? Map.of() : json.readValue(s, MAP);
    }
}
