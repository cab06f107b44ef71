package dev.lsr.encoder.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Reads, verifies and writes the {@code model.json} of a model directory. */
public final class ModelDirectory {

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private ModelDirectory() {}

    /**
     * Reads {@code model.json} and checks the SHA-256 of every file it lists; a missing or altered
     * file is refused naming the file and both checksums.
     */
    public static ModelInfo open(Path dir) throws IOException {
        Path json = dir.resolve(ModelInfo.MODEL_JSON);
        if (!Files.isRegularFile(json)) {
            throw new ModelFormatException(dir + ": not a model directory (no " + ModelInfo.MODEL_JSON + ")");
        }
        ModelInfo info;
        try {
            info = JSON.readValue(json.toFile(), ModelInfo.class);
        } catch (JacksonException e) {
            throw new ModelFormatException(json + ": unreadable model description: " + e.getOriginalMessage(), e);
        }
        if (info.formatVersion() != ModelInfo.FORMAT_VERSION) {
            throw new ModelFormatException(json + ": format_version " + info.formatVersion() + ", this build reads " + ModelInfo.FORMAT_VERSION);
        }
        if (info.files() == null || !info.files().containsKey(ModelInfo.BODY) || !info.files().containsKey(ModelInfo.HEAD)) {
            throw new ModelFormatException(json + ": files must list " + ModelInfo.BODY + " and " + ModelInfo.HEAD);
        }
        for (Map.Entry<String, String> f : info.files().entrySet()) {
            Path file = dir.resolve(f.getKey());
            if (!Files.isRegularFile(file)) {
                throw new ModelFormatException(file + ": missing (model.json expects sha256 " + f.getValue() + ")");
            }
            String actual = sha256(file);
            if (!actual.equals(f.getValue())) {
                throw new ModelFormatException(file + ": altered, sha256 " + actual + " but model.json expects " + f.getValue());
            }
        }
        return info;
    }

    /** Computes checksums of the given files in {@code dir} and writes {@code model.json} atomically. */
    public static ModelInfo write(Path dir, ModelInfo info, Iterable<String> fileNames) throws IOException {
        Map<String, String> sums = new TreeMap<>();
        for (String name : fileNames) {
            sums.put(name, sha256(dir.resolve(name)));
        }
        ModelInfo withSums = info.withFiles(sums);
        Path tmp = dir.resolve(ModelInfo.MODEL_JSON + ".tmp");
        JSON.writeValue(tmp.toFile(), withSums);
        Files.move(tmp, dir.resolve(ModelInfo.MODEL_JSON), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return withSums;
    }

    /** Adds (or replaces) one file's checksum in an existing directory's {@code model.json}. */
    public static ModelInfo addFile(Path dir, String name) throws IOException {
        ModelInfo info = open(dir);
        java.util.Set<String> names = new java.util.TreeSet<>(info.files().keySet());
        names.add(name);
        return write(dir, info, names);
    }

    public static String sha256(Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 20];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        } catch (NoSuchFileException e) {
            throw new ModelFormatException(file + ": missing");
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** The vocabulary (id -> token) of the directory's tokenizer file. */
    public static dev.lsr.seismic.Vocabulary vocabulary(Path dir, ModelInfo info) throws IOException {
        return new dev.lsr.seismic.Vocabulary(TokenizerInfo.read(dir.resolve(info.tokenizer()), info.lowerCase()).vocab());
    }

    static JsonMapper json() {
        return JSON;
    }
}
