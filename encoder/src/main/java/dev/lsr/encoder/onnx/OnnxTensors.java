package dev.lsr.encoder.onnx;

import dev.lsr.encoder.onnx.proto.StringStringEntryProto;
import dev.lsr.encoder.onnx.proto.TensorProto;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Reads the values of float tensors stored in an ONNX file, inline or as external data. */
public final class OnnxTensors {

    private OnnxTensors() {}

    public static long elements(TensorProto t) {
        long n = 1;
        for (long d : t.getDimsList()) {
            n *= d;
        }
        return n;
    }

    /**
     * @param baseDir the directory of the model file, against which external data locations resolve
     */
    public static float[] floats(TensorProto t, Path baseDir) throws IOException {
        if (t.getDataType() != TensorProto.DataType.FLOAT_VALUE) {
            throw new IOException("tensor " + t.getName() + " has data type " + t.getDataType() + ", expected float (1)");
        }
        long n = elements(t);
        if (n > Integer.MAX_VALUE) {
            throw new IOException("tensor " + t.getName() + " is too large: " + n + " values");
        }
        float[] out = new float[(int) n];
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            String location = null;
            long offset = 0;
            long length = -1;
            for (StringStringEntryProto e : t.getExternalDataList()) {
                switch (e.getKey()) {
                    case "location" -> location = e.getValue();
                    case "offset" -> offset = Long.parseLong(e.getValue());
                    case "length" -> length = Long.parseLong(e.getValue());
                    default -> { }
                }
            }
            if (location == null) {
                throw new IOException("tensor " + t.getName() + ": external data without a location");
            }
            Path file = baseDir.resolve(location);
            long bytes = n * 4;
            if (length >= 0 && length != bytes) {
                throw new IOException("tensor " + t.getName() + ": external length " + length + " != " + bytes);
            }
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                ByteBuffer buf = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
                ch.position(offset);
                while (buf.hasRemaining()) {
                    if (ch.read(buf) < 0) {
                        throw new IOException(file + ": short external data for tensor " + t.getName());
                    }
                }
                buf.flip();
                buf.asFloatBuffer().get(out);
            }
        } else if (t.hasRawData()) {
            if (t.getRawData().size() != n * 4) {
                throw new IOException("tensor " + t.getName() + ": raw data has " + t.getRawData().size() + " bytes, expected " + n * 4);
            }
            t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        } else {
            if (t.getFloatDataCount() != n) {
                throw new IOException("tensor " + t.getName() + ": " + t.getFloatDataCount() + " float values, expected " + n);
            }
            for (int i = 0; i < n; i++) {
                out[i] = t.getFloatData(i);
            }
        }
        return out;
    }

    /** A tensor with its data moved inline (raw data), so the model no longer needs the external file. */
    public static TensorProto inline(TensorProto t, Path baseDir) throws IOException {
        if (t.getDataLocation() != TensorProto.DataLocation.EXTERNAL) {
            return t;
        }
        float[] v = floats(t, baseDir);
        TensorProto data = GraphBuilder.floatTensor(t.getName(), v, t.getDimsList().stream().mapToLong(Long::longValue).toArray());
        return t.toBuilder().clearExternalData().clearDataLocation().setRawData(data.getRawData()).build();
    }
}
