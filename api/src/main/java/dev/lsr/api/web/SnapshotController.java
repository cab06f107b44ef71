package dev.lsr.api.web;

import dev.lsr.api.service.CollectionService;
import dev.lsr.engine.Engine;
import dev.lsr.index.CollectionSnapshots;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Snapshots over REST; the work is the engine's ({@link Engine#snapshot}, {@link Engine#restore}),
 * which {@code lsr snapshot} / {@code lsr restore} share. Snapshots live in
 * {@code <dataDir>/.snapshots/<collection>/<id>/}.
 */
@RestController
@Tag(name = "snapshots")
public final class SnapshotController {

    private final CollectionService collections;
    private final Engine engine;

    public SnapshotController(CollectionService collections, Engine engine) {
        this.collections = collections;
        this.engine = engine;
    }

    /** {@code into}: the name of the new collection. */
    public record RestoreBody(String into) {}

    @PostMapping("/collections/{name}/snapshots")
    @Operation(summary = "Take a consistent snapshot of a live collection (writes go on)",
            description = "Commits, copies that commit's files with the collection's settings, and records a SHA-256 per file.")
    public ResponseEntity<CollectionSnapshots.Manifest> create(@PathVariable String name) {
        CollectionSnapshots.Manifest m = engine.snapshot(name);
        return ResponseEntity.created(URI.create("/collections/" + name + "/snapshots/" + m.id())).body(m);
    }

    @GetMapping("/collections/{name}/snapshots")
    @Operation(summary = "Snapshots of a collection, newest first")
    public Map<String, List<CollectionSnapshots.Manifest>> list(@PathVariable String name) {
        return Map.of("snapshots", engine.snapshots(name));
    }

    @GetMapping("/collections/{name}/snapshots/{id}")
    @Operation(summary = "One snapshot: its files with sizes and SHA-256")
    public CollectionSnapshots.Manifest get(@PathVariable String name, @PathVariable String id) {
        return engine.snapshot(name, id);
    }

    @PostMapping("/collections/{name}/snapshots/{id}/restore")
    @Operation(summary = "Restore a snapshot into a new collection", description = "{\"into\": \"new-name\"}; every checksum is verified first.")
    public ResponseEntity<CollectionService.CollectionView> restore(@PathVariable String name, @PathVariable String id,
            @RequestBody RestoreBody body) {
        if (body.into() == null || body.into().isEmpty()) {
            throw ApiException.badRequest("'into' (the name of the new collection) is required");
        }
        engine.restore(name, id, body.into());
        return ResponseEntity.created(URI.create("/collections/" + body.into())).body(collections.describe(body.into()));
    }
}
