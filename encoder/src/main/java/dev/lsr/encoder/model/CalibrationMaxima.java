package dev.lsr.encoder.model;

import dev.lsr.encoder.model.tf.BertCheckpoint;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Smoothing calibration saved as numbers: per dense layer of one checkpoint, the per-channel max
 * |x_j| that {@link SmoothingCalibration} measured on calibration text. The BERT import ships one
 * such table ({@link #BUNDLED}, measured on 200 SciFact abstracts, see encoder/README.md) so that the
 * sq8 body can be the default import, which has no corpus at hand; a table only applies to the
 * checkpoint whose {@link #fingerprint} it records.
 *
 * <p>Format (big-endian, {@link DataOutputStream}): magic {@code LSR-AMAX}, int version 1, UTF
 * fingerprint, UTF source (how it was measured), int layers, then per layer UTF key, int channels,
 * float[channels]; then long CRC32C of every byte before it.
 */
final class CalibrationMaxima {

    static final String BUNDLED = "bert-base-uncased-sq8-calibration.bin";
    private static final byte[] MAGIC = {'L', 'S', 'R', '-', 'A', 'M', 'A', 'X'};
    private static final int VERSION = 1;

    /** The maxima and where they came from. */
    record Table(String fingerprint, String source, Map<String, float[]> maxima) {}

    private CalibrationMaxima() {}

    /** SHA-256 (hex) of the checkpoint's first query kernel and its output bias: which weights a table belongs to. */
    static String fingerprint(BertCheckpoint ckpt) throws ModelFormatException {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (String name : new String[] {BertGraph.PREFIX + "encoder/layer_0/attention/self/query/kernel", "module/cls/predictions/output_bias"}) {
                ByteBuffer b = ckpt.bytes(name).duplicate();
                d.update(b);
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void write(OutputStream out, Table t) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream o = new DataOutputStream(bytes)) {
            o.write(MAGIC);
            o.writeInt(VERSION);
            o.writeUTF(t.fingerprint());
            o.writeUTF(t.source());
            o.writeInt(t.maxima().size());
            for (Map.Entry<String, float[]> e : t.maxima().entrySet()) {
                o.writeUTF(e.getKey());
                o.writeInt(e.getValue().length);
                for (float v : e.getValue()) {
                    o.writeFloat(v);
                }
            }
        }
        byte[] body = bytes.toByteArray();
        CRC32C crc = new CRC32C();
        crc.update(body);
        DataOutputStream o = new DataOutputStream(out);
        o.write(body);
        o.writeLong(crc.getValue());
        o.flush();
    }

    /** @param name what to call the input in messages */
    static Table read(InputStream in, String name) throws IOException {
        byte[] all = in.readAllBytes();
        if (all.length < MAGIC.length + 12) {
            throw new ModelFormatException(name + ": too short for a calibration table");
        }
        CRC32C crc = new CRC32C();
        crc.update(all, 0, all.length - 8);
        if (crc.getValue() != ByteBuffer.wrap(all, all.length - 8, 8).getLong()) {
            throw new ModelFormatException(name + ": checksum mismatch (corrupt calibration table)");
        }
        try (DataInputStream d = new DataInputStream(new java.io.ByteArrayInputStream(all, 0, all.length - 8))) {
            byte[] magic = d.readNBytes(MAGIC.length);
            if (!java.util.Arrays.equals(magic, MAGIC) || d.readInt() != VERSION) {
                throw new ModelFormatException(name + ": not a version " + VERSION + " calibration table");
            }
            String fingerprint = d.readUTF();
            String source = d.readUTF();
            int n = d.readInt();
            Map<String, float[]> m = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                String key = d.readUTF();
                float[] v = new float[d.readInt()];
                for (int j = 0; j < v.length; j++) {
                    v[j] = d.readFloat();
                }
                m.put(key, v);
            }
            return new Table(fingerprint, source, m);
        }
    }

    /** The bundled table, or null when this build has none. */
    static Table bundled() throws IOException {
        try (InputStream in = CalibrationMaxima.class.getResourceAsStream(BUNDLED)) {
            return in == null ? null : read(in, BUNDLED);
        }
    }
}
