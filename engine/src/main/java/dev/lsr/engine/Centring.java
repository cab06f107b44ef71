package dev.lsr.engine;

import dev.lsr.encoder.TermOffsets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A collection's own centring: per-term offsets fitted on its first documents (a zero-shot masked LM
 * ranks poorly without them, and they are a corpus statistic, like IDF). Kept beside the index in
 * the collection directory: {@value #STATE} (status, percentile, ids encoded before the fit) and
 * {@value #OFFSETS} ({@link TermOffsets} format). The state file is written last, by atomic rename,
 * so a crash during a fit leaves the collection pending and the fit runs again.
 *
 * @param status {@code off} (no centring, or the model's own offsets), {@code pending} (fewer than
 *     the fit size encoded yet) or {@code fitted}
 * @param offsets the fitted offsets; null unless fitted
 * @param pendingIds documents encoded without centring, re-encoded when the fit runs
 */
record Centring(String status, Double percentile, int fittedOn, float[] offsets, List<String> pendingIds) {

    static final String STATE = "centring.json";
    static final String OFFSETS = "centring_offsets.bin";
    static final String OFF = "off";
    static final String PENDING = "pending";
    static final String FITTED = "fitted";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    Centring {
        pendingIds = List.copyOf(pendingIds);
    }

    static Centring off() {
        return new Centring(OFF, null, 0, null, List.of());
    }

    static Centring pending(double percentile) {
        return new Centring(PENDING, percentile, 0, null, List.of());
    }

    static Centring fitted(double percentile, int fittedOn, float[] offsets) {
        return new Centring(FITTED, percentile, fittedOn, offsets, List.of());
    }

    boolean isPending() {
        return status.equals(PENDING);
    }

    Centring withPending(List<String> ids) {
        Set<String> all = new LinkedHashSet<>(pendingIds);
        all.addAll(ids);
        return new Centring(status, percentile, fittedOn, offsets, new ArrayList<>(all));
    }

    /** The state of the collection in {@code dir}; no state file means no centring of its own. */
    static Centring read(Path dir, int vocab) {
        Path state = dir.resolve(STATE);
        if (!Files.isRegularFile(state)) {
            return off();
        }
        try {
            JsonNode n = JSON.readTree(state.toFile());
            String status = n.path("status").asString(OFF);
            Double p = n.hasNonNull("percentile") ? n.get("percentile").asDouble() : null;
            List<String> ids = new ArrayList<>();
            n.path("pending_ids").forEach(x -> ids.add(x.asString()));
            float[] offsets = status.equals(FITTED) ? TermOffsets.read(dir.resolve(OFFSETS), vocab) : null;
            return new Centring(status, p, n.path("fitted_on").asInt(0), offsets, ids);
        } catch (IOException e) {
            throw new UncheckedIOException(state + ": cannot read the collection's centring state: " + e.getMessage(), e);
        }
    }

    /** Writes the offsets (when fitted), then the state file by atomic rename. */
    void write(Path dir) {
        try {
            if (offsets != null) {
                TermOffsets.write(dir.resolve(OFFSETS), offsets);
            }
            ObjectNode n = JSON.createObjectNode();
            n.put("status", status);
            if (percentile != null) {
                n.put("percentile", percentile);
            }
            n.put("fitted_on", fittedOn);
            n.set("pending_ids", JSON.valueToTree(pendingIds));
            Path tmp = dir.resolve(STATE + ".tmp");
            Files.write(tmp, JSON.writeValueAsBytes(n));
            Files.move(tmp, dir.resolve(STATE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(dir.resolve(STATE) + ": cannot write the collection's centring state: " + e.getMessage(), e);
        }
    }

    /** What {@code stats} shows. */
    CentringInfo info() {
        return new CentringInfo(status, percentile, status.equals(FITTED) ? fittedOn : pendingIds.size());
    }
}
