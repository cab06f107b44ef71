package dev.lsr.index;

import dev.lsr.index.search.Fusions;
import dev.lsr.index.search.ScoredDocs;
import dev.lsr.index.search.SegmentSearch;
import dev.lsr.index.search.SparseQuery;
import dev.lsr.index.search.SparseSearchOptions;
import dev.lsr.index.settings.CollectionSettings;
import dev.lsr.index.write.Fields;
import java.io.IOException;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.util.QueryBuilder;

/**
 * Sends a request to the search it names: sparse (approximate or exact) through {@link SparseQuery},
 * BM25 through Lucene, hybrid as both fused. Returns top-level doc ids, best first.
 */
final class SearchRouter {

    private final CollectionSettings settings;
    private final Analyzer analyzer;
    private final SegmentSearch segments;

    SearchRouter(CollectionSettings settings, Analyzer analyzer, SegmentSearch segments) {
        this.settings = settings;
        this.analyzer = analyzer;
        this.segments = segments;
    }

    ScoredDocs route(IndexSearcher searcher, SearchRequest request) throws IOException {
        return switch (request.mode()) {
            case APPROXIMATE, EXACT -> sparse(searcher, request, request.k());
            case BM25 -> bm25(searcher, request, request.k());
            case HYBRID -> Fusions.fuse(request.fusion(),
                    sparse(searcher, request.withMode(SearchMode.APPROXIMATE), request.candidates()),
                    bm25(searcher, request, request.candidates()), request.k());
        };
    }

    SparseQuery sparseQuery(SearchRequest request, int k) {
        return new SparseQuery(Fields.VECTOR, request.vector(), settings.dim(), k,
                request.filter() == null ? null : request.filter().query(),
                new SparseSearchOptions(request.mode() == SearchMode.EXACT,
                        request.queryCut() != null ? request.queryCut() : settings.search().queryCut(),
                        request.heapFactor() != null ? request.heapFactor() : settings.search().heapFactor(),
                        settings.search().knn(),
                        settings.filterExactMaxDocs(), settings.filterExactFraction(),
                        // A segment built for a recall target (it says so itself) is searched with
                        // the setting measured for it, unless the request names its own.
                        request.queryCut() == null && request.heapFactor() == null),
                segments);
    }

    private ScoredDocs sparse(IndexSearcher searcher, SearchRequest request, int k) throws IOException {
        return sparseQuery(request, k).topDocs(searcher);
    }

    private ScoredDocs bm25(IndexSearcher searcher, SearchRequest request, int k) throws IOException {
        QueryBuilder builder = new QueryBuilder(analyzer);
        BooleanQuery.Builder text = new BooleanQuery.Builder();
        for (String field : new String[] {Fields.TITLE, Fields.TEXT}) {
            Query q = builder.createBooleanQuery(field, request.text());
            if (q != null) {
                text.add(q, BooleanClause.Occur.SHOULD);
            }
        }
        Query query = text.build();
        if (request.filter() != null) {
            query = new BooleanQuery.Builder()
                    .add(query, BooleanClause.Occur.MUST)
                    .add(request.filter().query(), BooleanClause.Occur.FILTER)
                    .build();
        }
        TopDocs td = searcher.search(query, k);
        int[] docs = new int[td.scoreDocs.length];
        float[] scores = new float[docs.length];
        for (int i = 0; i < docs.length; i++) {
            ScoreDoc sd = td.scoreDocs[i];
            docs[i] = sd.doc;
            scores[i] = sd.score;
        }
        return new ScoredDocs(docs, scores);
    }
}
