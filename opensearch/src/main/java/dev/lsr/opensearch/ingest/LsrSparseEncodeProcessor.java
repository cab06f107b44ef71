package dev.lsr.opensearch.ingest;

import dev.lsr.encoder.SparseEncoder;
import dev.lsr.opensearch.encode.ModelEncoders;
import dev.lsr.seismic.SparseVector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opensearch.ingest.AbstractProcessor;
import org.opensearch.ingest.ConfigurationUtils;
import org.opensearch.ingest.IngestDocument;
import org.opensearch.ingest.Processor;

/**
 * Ingest processor {@code lsr_sparse_encode}: {@code {"model", "field", "target_field", "ignore_missing"?}}
 * encodes the text of {@code field} with the lsr model {@code <config>/lsr-models/<model>/} (the
 * document side of the encoder, as {@code lsr index} encodes documents) and writes it to
 * {@code target_field} as {@code {"indices": [...], "values": [...]}}, the form an
 * {@code lsr_sparse_vector} field takes. A text that encodes to no term (blank, or only masked
 * pieces) leaves {@code target_field} unset: the document is indexed without a vector.
 */
public final class LsrSparseEncodeProcessor extends AbstractProcessor {

    public static final String TYPE = "lsr_sparse_encode";

    private final SparseEncoder encoder;
    private final String field;
    private final String targetField;
    private final boolean ignoreMissing;

    LsrSparseEncodeProcessor(String tag, String description, SparseEncoder encoder, String field, String targetField,
            boolean ignoreMissing) {
        super(tag, description);
        this.encoder = encoder;
        this.field = field;
        this.targetField = targetField;
        this.ignoreMissing = ignoreMissing;
    }

    @Override
    public IngestDocument execute(IngestDocument document) {
        Object value = document.getFieldValue(field, Object.class, ignoreMissing);
        if (value == null) {
            if (ignoreMissing) {
                return document;
            }
            throw new IllegalArgumentException("[" + TYPE + "] field [" + field + "] is null; set [ignore_missing] to index"
                    + " such documents without a vector");
        }
        if (!(value instanceof String text)) {
            throw new IllegalArgumentException("[" + TYPE + "] field [" + field + "] must be a string, was ["
                    + value.getClass().getSimpleName() + "]");
        }
        SparseVector v = encoder.encodeDocuments(List.of(text)).getFirst().vector();
        if (v.isEmpty()) {
            return document;
        }
        List<Integer> indices = new ArrayList<>(v.size());
        List<Float> values = new ArrayList<>(v.size());
        for (int j = 0; j < v.size(); j++) {
            indices.add(v.index(j));
            values.add(v.value(j));
        }
        Map<String, Object> vector = new LinkedHashMap<>();
        vector.put("indices", indices);
        vector.put("values", values);
        document.setFieldValue(targetField, vector);
        return document;
    }

    @Override
    public String getType() {
        return TYPE;
    }

    /** Opens the model when the pipeline is created on a node, so a node without it refuses the pipeline by path. */
    public static final class Factory implements Processor.Factory {

        private final ModelEncoders encoders;

        public Factory(ModelEncoders encoders) {
            this.encoders = encoders;
        }

        @Override
        public LsrSparseEncodeProcessor create(Map<String, Processor.Factory> registry, String tag, String description,
                Map<String, Object> config) {
            String model = ConfigurationUtils.readStringProperty(TYPE, tag, config, "model");
            String field = ConfigurationUtils.readStringProperty(TYPE, tag, config, "field");
            String targetField = ConfigurationUtils.readStringProperty(TYPE, tag, config, "target_field");
            boolean ignoreMissing = ConfigurationUtils.readBooleanProperty(TYPE, tag, config, "ignore_missing", false);
            SparseEncoder encoder;
            try {
                encoder = encoders.get("model", model);
            } catch (RuntimeException e) {
                throw ConfigurationUtils.newConfigurationException(TYPE, tag, "model", e.getMessage());
            }
            return new LsrSparseEncodeProcessor(tag, description, encoder, field, targetField, ignoreMissing);
        }
    }
}
