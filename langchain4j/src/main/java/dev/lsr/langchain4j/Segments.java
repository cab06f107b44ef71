package dev.lsr.langchain4j;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.rag.content.Content;
import dev.langchain4j.rag.content.ContentMetadata;
import dev.lsr.client.Document;
import dev.lsr.client.Hit;
import dev.lsr.client.SparseVector;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * TextSegments as lsr documents and hits as Contents. The segment's text is the document's text; its
 * metadata key {@code title} is the document's title (BM25 searches it, the model encodes it);
 * the id key (default {@code id}) is the document id; every other key is lsr metadata (UUIDs as
 * strings). Back from a hit: text (else title, else id), metadata with {@code title} and the id
 * key put back, {@link ContentMetadata#SCORE} the hit's score, {@link ContentMetadata#EMBEDDING_ID} its id.
 */
final class Segments {

    static final String TITLE = "title";

    private Segments() {}

    static Document toLsr(String id, String idKey, TextSegment segment, SparseVector vector) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        String title = null;
        for (Map.Entry<String, Object> e : segment.metadata().toMap().entrySet()) {
            if (e.getKey().equals(idKey)) {
                continue;
            }
            if (e.getKey().equals(TITLE)) {
                title = String.valueOf(e.getValue());
                continue;
            }
            metadata.put(e.getKey(), e.getValue() instanceof UUID u ? u.toString() : e.getValue());
        }
        return new Document(id, title, segment.text(), metadata, vector);
    }

    static Content toContent(Hit hit, String idKey) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : hit.metadata().entrySet()) {
            Object v = metadataValue(e.getValue());
            if (v != null) {
                metadata.put(e.getKey(), v);
            }
        }
        if (hit.title() != null) {
            metadata.put(TITLE, hit.title());
        }
        metadata.put(idKey, hit.id());
        String text = !isBlank(hit.text()) ? hit.text() : !isBlank(hit.title()) ? hit.title() : hit.id();
        return Content.from(TextSegment.from(text, new Metadata(metadata)),
                Map.of(ContentMetadata.SCORE, (double) hit.score(), ContentMetadata.EMBEDDING_ID, hit.id()));
    }

    /** LangChain4j metadata holds String, UUID, Integer, Long, Float, Double: booleans become strings, big numbers doubles. */
    private static Object metadataValue(Object v) {
        return switch (v) {
            case null -> null;
            case String s -> s;
            case Integer i -> i;
            case Long l -> l;
            case Float f -> f;
            case Double d -> d;
            case Short s -> s.intValue();
            case Byte b -> b.intValue();
            case BigInteger b -> b.bitLength() < 64 ? (Object) b.longValue() : b.doubleValue();
            case BigDecimal b -> b.doubleValue();
            case Number n -> n.doubleValue();
            default -> v.toString();
        };
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
