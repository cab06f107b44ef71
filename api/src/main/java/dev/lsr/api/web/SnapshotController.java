package dev.lsr.api.web;

import dev.lsr.api.service.CollectionService;
import dev.lsr.api.snapshots.Snapshots;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "snapshots")
public final class SnapshotController {

    private final CollectionService collections;
    private final Snapshots snapshots;

    public SnapshotController(CollectionService collections, Snapshots snapshots) {
        this.collections = collections;
        this.snapshots = snapshots;
    }

    /** {@code into}: the name of the new collection. */
    @Schema(name = "RestoreRequest")
    public record RestoreBody(String into) {}

    /** {@code GET /collections/{name}/snapshots}, newest first. */
    @Schema(name = "SnapshotList")
    public record SnapshotList(List<Snapshots.Manifest> snapshots) {}

    @PostMapping("/collections/{name}/snapshots")
    @Operation(summary = "Take a consistent snapshot of a live collection (writes go on)",
            description = "Commits, copies that commit's files with the collection's settings, and records a SHA-256 per file.")
    public ResponseEntity<Snapshots.Manifest> create(@PathVariable String name) {
        Snapshots.Manifest m = snapshots.create(collections.get(name));
        return ResponseEntity.created(URI.create("/collections/" + name + "/snapshots/" + m.id())).body(m);
    }

    @GetMapping("/collections/{name}/snapshots")
    @Operation(summary = "Snapshots of a collection, newest first")
    public SnapshotList list(@PathVariable String name) {
        return new SnapshotList(snapshots.list(name));
    }

    @GetMapping("/collections/{name}/snapshots/{id}")
    @Operation(summary = "One snapshot: its files with sizes and SHA-256")
    public Snapshots.Manifest get(@PathVariable String name, @PathVariable String id) {
        return snapshots.manifest(name, id);
    }

    @PostMapping("/collections/{name}/snapshots/{id}/restore")
    @Operation(summary = "Restore a snapshot into a new collection", description = "{\"into\": \"new-name\"}; every checksum is verified first.")
    public ResponseEntity<CollectionService.CollectionView> restore(@PathVariable String name, @PathVariable String id,
            @RequestBody RestoreBody body) {
        if (body.into() == null || body.into().isEmpty()) {
            throw ApiException.badRequest("'into' (the name of the new collection) is required");
        }
        snapshots.restore(name, id, body.into());
        return ResponseEntity.created(URI.create("/collections/" + body.into())).body(collections.describe(body.into()));
    }
}
