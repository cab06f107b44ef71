package dev.lsr.api.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.lsr.api.web.ApiException;
import dev.lsr.engine.CentringInfo;
import dev.lsr.engine.Engine;
import dev.lsr.engine.EngineCollection;
import dev.lsr.engine.NewCollection;
import dev.lsr.index.CollectionStats;
import dev.lsr.index.Collections;
import dev.lsr.index.settings.CollectionSettings;
import dev.lsr.index.settings.SettingsJson;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Collections as the REST layer sees them: the settings JSON and the stats view. Models, encoding
 * and centring are the {@link Engine}'s.
 */
@Service
public final class CollectionService {

    private final Engine engine;

    public CollectionService(Engine engine) {
        this.engine = engine;
    }

    /** Settings and a stats snapshot of one collection. */
    @Schema(name = "Collection")
    public record CollectionView(String name,
            @Schema(implementation = CollectionSettings.class, description = "every setting, defaults filled in") JsonNode settings,
            Stats stats) {}

    /** {@code GET /collections}. */
    @Schema(name = "CollectionList")
    public record CollectionList(List<Stats> collections) {}

    /**
     * {@link CollectionStats} in the REST API's naming, with the collection's centring.
     *
     * @param centring {@code off}, {@code model}, {@code pending} or {@code fitted}, the percentile,
     *     and the documents it was (or is being) fitted on; null for a collection without a model
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "CollectionStats")
    public record Stats(
            String name,
            String model,
            int dim,
            int docs,
            @JsonProperty("deleted_docs") int deletedDocs,
            int segments,
            @JsonProperty("seismic_segments") int seismicSegments,
            long bytes,
            CentringInfo centring) {

        static Stats of(EngineCollection c) {
            CollectionStats s = c.stats();
            return new Stats(s.name(), s.model(), s.dim(), s.docs(), s.deletedDocs(), s.segments(), s.seismicSegments(), s.bytes(),
                    c.model() == null ? null : c.centring());
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
        JsonNode model = settings.remove("model");
        NewCollection spec;
        if (model == null) {
            spec = NewCollection.defaultModel();
        } else if (model.isNull()) {
            spec = NewCollection.vectorsOnly();
        } else if (model.isString()) {
            spec = NewCollection.model(model.stringValue());
        } else {
            throw ApiException.badRequest("setting 'model' must be a string (a model name or path) or null, got " + model);
        }
        JsonNode dim = settings.get("dim");
        if (dim != null && !dim.isNull() && !dim.isInt()) {
            throw ApiException.badRequest("setting 'dim' must be an integer, got " + dim);
        }
        CollectionSettings bound = SettingsJson.bind(settings);
        return view(engine.create(name, spec.withSettings(bound)));
    }

    public CollectionView describe(String name) {
        return view(engine.collection(name));
    }

    public Stats stats(String name) {
        return Stats.of(engine.collection(name));
    }

    public List<String> names() {
        return engine.names();
    }

    public EngineCollection get(String name) {
        return engine.collection(name);
    }

    public void delete(String name) {
        engine.delete(name);
    }

    private static CollectionView view(EngineCollection c) {
        return new CollectionView(c.name(), SettingsJson.toTree(c.settings()), Stats.of(c));
    }
}
