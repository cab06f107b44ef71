package dev.lsr.api.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.lsr.api.config.LsrProperties;
import dev.lsr.api.models.Encoders;
import dev.lsr.api.web.ApiException;
import dev.lsr.encoder.SparseEncoder;
import dev.lsr.index.Collection;
import dev.lsr.index.CollectionStats;
import dev.lsr.index.Collections;
import dev.lsr.index.settings.CollectionSettings;
import dev.lsr.index.settings.SettingsJson;
import dev.lsr.seismic.Vocabulary;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Collections as the REST layer sees them: settings completed with the model (the default one when
 * none is named, imported when a path is named) and its vocabulary size, and each collection's
 * encoder. Storage is {@link Collections}; encoding is {@link Encoders}.
 */
@Service
public final class CollectionService {

    private final Collections collections;
    private final Encoders encoders;
    private final LsrProperties properties;

    public CollectionService(Collections collections, Encoders encoders, LsrProperties properties) {
        this.collections = collections;
        this.encoders = encoders;
        this.properties = properties;
    }

    /** Settings and a stats snapshot of one collection. */
    public record CollectionView(String name, JsonNode settings, Stats stats) {}

    /** {@link CollectionStats} in the REST API's naming. */
    public record Stats(
            String name,
            String model,
            int dim,
            int docs,
            @JsonProperty("deleted_docs") int deletedDocs,
            int segments,
            @JsonProperty("seismic_segments") int seismicSegments,
            long bytes) {

        static Stats of(CollectionStats s) {
            return new Stats(s.name(), s.model(), s.dim(), s.docs(), s.deletedDocs(), s.segments(), s.seismicSegments(), s.bytes());
        }
    }

    /**
     * Creates a collection. {@code body} is the settings object ({@code collection.json}'s
     * {@code settings}); {@code model} absent means the default model, {@code "model": null} means
     * none (vectors only), a path is imported first; {@code dim} defaults to the model's vocabulary size.
     */
    public CollectionView create(String name, JsonNode body) {
        Collections.checkName(name);
        ObjectNode settings;
        if (body == null || body.isNull() || body.isMissingNode()) {
            settings = JsonNodeFactory.instance.objectNode();
        } else if (body.isObject()) {
            settings = (ObjectNode) body.deepCopy();
        } else {
            throw ApiException.badRequest("collection settings must be a JSON object, got " + body.getNodeType().name().toLowerCase());
        }
        JsonNode model = settings.get("model");
        if (model == null) {
            if (properties.hasDefaultModel()) {
                settings.put("model", encoders.resolve(properties.defaultModel()));
            }
        } else if (model.isNull()) {
            settings.remove("model");
        } else if (model.isString()) {
            settings.put("model", encoders.resolve(model.stringValue()));
        } else {
            throw ApiException.badRequest("setting 'model' must be a string (a model name or path) or null, got " + model);
        }
        if (settings.hasNonNull("model")) {
            int vocab = encoders.get(settings.get("model").stringValue()).vocabulary().size();
            JsonNode dim = settings.get("dim");
            if (dim == null || dim.isNull()) {
                settings.put("dim", vocab);
            } else if (!dim.isInt() || dim.intValue() != vocab) {
                throw ApiException.badRequest("setting 'dim' is " + dim + " but model '" + settings.get("model").stringValue()
                        + "' has a vocabulary of " + vocab + " terms (omit 'dim' to take the model's)");
            }
        }
        CollectionSettings bound = SettingsJson.bind(settings);
        return view(collections.create(name, bound));
    }

    public CollectionView describe(String name) {
        return view(collections.get(name));
    }

    public Stats stats(String name) {
        return Stats.of(collections.get(name).stats());
    }

    public List<String> names() {
        return collections.list();
    }

    public Collection get(String name) {
        return collections.get(name);
    }

    public void delete(String name) {
        collections.delete(name);
    }

    /** The encoder of the collection's model, or null when it takes only vectors. */
    public SparseEncoder encoder(Collection c) {
        String model = c.settings().model();
        return model == null ? null : encoders.get(model);
    }

    /** The collection model's vocabulary, or null when it takes only vectors. */
    public Vocabulary vocabulary(Collection c) {
        SparseEncoder e = encoder(c);
        return e == null ? null : e.vocabulary();
    }

    /** The encoder of the collection's model; a 400 naming the collection when it has none. */
    public SparseEncoder requireEncoder(Collection c, String why) {
        SparseEncoder e = encoder(c);
        if (e == null) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "collection '" + c.name() + "' has no model, so " + why);
        }
        return e;
    }

    private CollectionView view(Collection c) {
        return new CollectionView(c.name(), SettingsJson.toTree(c.settings()), Stats.of(c.stats()));
    }
}
