package dev.lsr.index.settings;

import dev.lsr.index.IncompatibleCollectionException;
import dev.lsr.index.IndexException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code collection.json}: {@code {"format": "lsr-collection", "formatVersion": 1, "settings": {...}}}.
 * The version is checked before anything else so that a directory from an incompatible build is
 * refused with a message instead of being misread.
 */
public final class CollectionFile {

    public static final String NAME = "collection.json";
    public static final String FORMAT = "lsr-collection";
    public static final int FORMAT_VERSION = 1;

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private CollectionFile() {}

    public static CollectionSettings read(Path dir) {
        Path file = dir.resolve(NAME);
        JsonNode root;
        try {
            root = MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new IncompatibleCollectionException(dir + " is not a collection (" + NAME + " is missing)", e);
        } catch (IOException e) {
            throw new IndexException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (JacksonException e) {
            throw new IncompatibleCollectionException(file + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (!root.isObject() || !FORMAT.equals(root.path("format").asString(null))) {
            throw new IncompatibleCollectionException(file + " is not an lsr collection file (\"format\" is not \"" + FORMAT + "\")");
        }
        JsonNode version = root.path("formatVersion");
        if (!version.isInt() || version.asInt() != FORMAT_VERSION) {
            throw new IncompatibleCollectionException("collection " + dir + " has format version " + version
                    + "; this build reads only version " + FORMAT_VERSION);
        }
        try {
            return SettingsJson.bind(root.path("settings"));
        } catch (IndexException e) {
            throw new IncompatibleCollectionException(file + ": " + e.getMessage(), e);
        }
    }

    /** Writes atomically (temp file, fsync, rename) so a crash leaves the old or the new file. */
    public static void write(Path dir, CollectionSettings settings) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT);
        root.put("formatVersion", FORMAT_VERSION);
        root.set("settings", SettingsJson.toTree(settings));
        Path tmp = dir.resolve(NAME + ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                out.write(root.toPrettyString().getBytes(StandardCharsets.UTF_8));
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            try {
                Files.move(tmp, dir.resolve(NAME), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dir.resolve(NAME), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new IndexException("cannot write " + dir.resolve(NAME) + ": " + e.getMessage(), e);
        }
    }
}
