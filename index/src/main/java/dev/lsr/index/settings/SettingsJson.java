package dev.lsr.index.settings;

import dev.lsr.index.IndexException;
import dev.lsr.index.InvalidSettingsException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;

/** Strict JSON binding of {@link CollectionSettings}: unknown keys and wrong types are errors. */
public final class SettingsJson {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private SettingsJson() {}

    public static CollectionSettings parse(String json) {
        try {
            return bind(MAPPER.readTree(json));
        } catch (JacksonException e) {
            throw translate(e);
        }
    }

    public static CollectionSettings bind(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return CollectionSettings.defaults();
        }
        if (!node.isObject()) {
            throw new InvalidSettingsException("collection settings must be a JSON object");
        }
        try {
            return MAPPER.treeToValue(node, CollectionSettings.class);
        } catch (JacksonException e) {
            throw translate(e);
        }
    }

    public static JsonNode toTree(CollectionSettings settings) {
        return MAPPER.valueToTree(settings);
    }

    public static String toJson(CollectionSettings settings) {
        return MAPPER.writeValueAsString(settings);
    }

    static RuntimeException translate(JacksonException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IndexException ie) {
                return ie;
            }
        }
        if (e instanceof UnrecognizedPropertyException u) {
            return new InvalidSettingsException("unknown setting '" + path(e) + "'; known keys here: "
                    + u.getKnownPropertyIds(), e);
        }
        if (e instanceof MismatchedInputException) {
            return new InvalidSettingsException("setting '" + path(e) + "' has the wrong type: " + e.getOriginalMessage(), e);
        }
        return new InvalidSettingsException("invalid settings JSON: " + e.getOriginalMessage(), e);
    }

    private static String path(JacksonException e) {
        StringBuilder sb = new StringBuilder();
        for (JacksonException.Reference r : e.getPath()) {
            if (r.getPropertyName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(r.getPropertyName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }
}
