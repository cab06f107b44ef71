package dev.lsr.encoder.head;

/** How {@code head.bin} stores the vocabulary projection W; bias (and row scales) are always fp32. */
public enum HeadDType {
    /** 4 bytes per weight, exact. */
    FP32(0, 4),
    /** 2 bytes per weight: the upper half of the fp32 bits, rounded to nearest even. */
    BF16(1, 2),
    /** 1 byte per weight, symmetric per-row quantisation: {@code w = q * scale[row]}, q in [-127, 127]. */
    INT8(2, 1);

    private final int code;
    private final int bytes;

    HeadDType(int code, int bytes) {
        this.code = code;
        this.bytes = bytes;
    }

    /** The number written in the file header. */
    public int code() {
        return code;
    }

    /** Bytes per stored weight. */
    public int bytesPerWeight() {
        return bytes;
    }

    static HeadDType ofCode(int code) {
        for (HeadDType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }
}
