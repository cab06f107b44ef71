package dev.lsr.api.web;

import dev.lsr.api.service.CollectionService.CollectionView;
import dev.lsr.api.service.CollectionService.Stats;
import dev.lsr.api.service.CollectionService;
import dev.lsr.index.settings.CollectionSettings;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

@RestController
@RequestMapping("/collections")
@Tag(name = "collections")
public final class CollectionController {

    private final CollectionService collections;

    public CollectionController(CollectionService collections) {
        this.collections = collections;
    }

    @GetMapping
    @Operation(summary = "All collections with their stats")
    public CollectionService.CollectionList list() {
        return new CollectionService.CollectionList(collections.names().stream().map(collections::stats).toList());
    }

    @PutMapping("/{name}")
    @Operation(summary = "Create a collection",
            description = "Body (optional): settings. 'model' absent = the default model, null = none (vectors only), "
                    + "or a model name or a path to import; 'dim' defaults to the model's vocabulary size; "
                    + "seismic, search, bm25, writer, refresh_interval_ms, ... as in index/README.md.")
    public ResponseEntity<CollectionView> create(@PathVariable String name,
            // Bound strictly by SettingsJson (unknown keys and wrong types named); the schema is its record.
            @io.swagger.v3.oas.annotations.parameters.RequestBody(required = false, content = @Content(
                    schema = @Schema(implementation = CollectionSettings.class)))
            @RequestBody(required = false) JsonNode settings) {
        CollectionView view = collections.create(name, settings);
        return ResponseEntity.created(URI.create("/collections/" + name)).body(view);
    }

    @GetMapping("/{name}")
    @Operation(summary = "A collection's settings and stats")
    public CollectionView get(@PathVariable String name) {
        return collections.describe(name);
    }

    @GetMapping("/{name}/stats")
    @Operation(summary = "A collection's stats: documents, deleted documents, segments, bytes")
    public Stats stats(@PathVariable String name) {
        return collections.stats(name);
    }

    @DeleteMapping("/{name}")
    @Operation(summary = "Delete a collection and all its files")
    public ResponseEntity<Void> delete(@PathVariable String name) {
        collections.delete(name);
        return ResponseEntity.noContent().build();
    }
}
