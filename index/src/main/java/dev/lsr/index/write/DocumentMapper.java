package dev.lsr.index.write;

import dev.lsr.index.InvalidDocumentException;
import dev.lsr.index.codec.VectorBytes;
import dev.lsr.seismic.SparseVector;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.SortedNumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.NumericUtils;
import tools.jackson.databind.json.JsonMapper;

/** Validates a {@link dev.lsr.index.Document} and turns it into Lucene fields. */
public final class DocumentMapper {

    /** Longest id and metadata keyword in UTF-8 bytes (Lucene's term limit leaves room). */
    public static final int MAX_TERM_BYTES = IndexWriter.MAX_TERM_LENGTH;
    public static final int MAX_KEY_LENGTH = 128;

    private final int dim;
    private final JsonMapper json;

    public DocumentMapper(int dim, JsonMapper json) {
        this.dim = dim;
        this.json = json;
    }

    public org.apache.lucene.document.Document toLucene(dev.lsr.index.Document d) {
        String id = checkId(d.id());
        org.apache.lucene.document.Document doc = new org.apache.lucene.document.Document();
        doc.add(new StringField(Fields.ID, id, Field.Store.YES));
        doc.add(new BinaryDocValuesField(Fields.ID_VALUES, new BytesRef(id)));
        if (d.title() != null) {
            doc.add(new TextField(Fields.TITLE, d.title(), Field.Store.YES));
        }
        if (d.text() != null) {
            doc.add(new TextField(Fields.TEXT, d.text(), Field.Store.YES));
        }
        addMetadata(id, d.metadata(), doc);
        SparseVector v = d.vector() == null ? SparseVector.empty() : checkVector(id, d.vector());
        doc.add(new BinaryDocValuesField(Fields.VECTOR, VectorBytes.encode(v)));
        return doc;
    }

    static String checkId(String id) {
        if (id == null || id.isEmpty()) {
            throw new InvalidDocumentException("document field 'id' is missing or empty");
        }
        if (id.getBytes(StandardCharsets.UTF_8).length > MAX_TERM_BYTES) {
            throw new InvalidDocumentException("document field 'id' is longer than " + MAX_TERM_BYTES + " UTF-8 bytes");
        }
        return id;
    }

    private SparseVector checkVector(String id, SparseVector v) {
        // SparseVector already guarantees finite positive weights and sorted ids; the vocabulary
        // bound is the collection's.
        for (int i = 0; i < v.size(); i++) {
            int t = v.index(i);
            if (t >= dim) {
                throw new InvalidDocumentException("document '" + id + "': field 'vector' entry " + i
                        + " has term id " + t + " outside the collection's vocabulary [0, " + dim + ")");
            }
        }
        return v;
    }

    private void addMetadata(String id, Map<String, Object> metadata, org.apache.lucene.document.Document doc) {
        if (metadata.isEmpty()) {
            return;
        }
        for (Map.Entry<String, Object> e : metadata.entrySet()) {
            String key = e.getKey();
            String where = "document '" + id + "': field 'metadata." + key + "'";
            if (key == null || key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
                throw new InvalidDocumentException("document '" + id + "': metadata keys must have 1.."
                        + MAX_KEY_LENGTH + " characters");
            }
            Object value = e.getValue();
            switch (value) {
                case null -> throw new InvalidDocumentException(where + " is null; omit the key instead");
                case String s -> {
                    if (s.getBytes(StandardCharsets.UTF_8).length > MAX_TERM_BYTES) {
                        throw new InvalidDocumentException(where + " is longer than " + MAX_TERM_BYTES + " UTF-8 bytes");
                    }
                    doc.add(new StringField(Fields.keyword(key), s, Field.Store.NO));
                }
                case Boolean b -> doc.add(new StringField(Fields.keyword(key), b.toString(), Field.Store.NO));
                case Number n -> {
                    double x = toDouble(where, n);
                    doc.add(new DoublePoint(Fields.numeric(key), x));
                    doc.add(new SortedNumericDocValuesField(Fields.numeric(key), NumericUtils.doubleToSortableLong(x)));
                }
                default -> throw new InvalidDocumentException(where + " must be a string, number or boolean (metadata is a flat object), was "
                        + (value instanceof Map<?, ?> ? "an object" : value instanceof Iterable<?> || value.getClass().isArray() ? "an array" : value.getClass().getSimpleName()));
            }
        }
        doc.add(new StoredField(Fields.METADATA, json.writeValueAsString(metadata)));
    }

    private static double toDouble(String where, Number n) {
        double x = switch (n) {
            case BigDecimal bd -> bd.doubleValue();
            case BigInteger bi -> bi.doubleValue();
            default -> n.doubleValue();
        };
        if (!Double.isFinite(x)) {
            throw new InvalidDocumentException(where + " is not a finite number: " + n);
        }
        return x;
    }
}
