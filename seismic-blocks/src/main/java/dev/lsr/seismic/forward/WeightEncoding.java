package dev.lsr.seismic.forward;

/** How the forward index stores each term weight. */
public enum WeightEncoding {
    /** IEEE half precision: 2 bytes, ~3 significant digits, exact ranking for SPLADE-range weights. */
    F16(1),
    /** One byte per weight scaled by a per-document factor ({@code max / 255}): 1 byte + 4 per doc. */
    U8(2);

    private final int code;

    WeightEncoding(int code) {
        this.code = code;
    }

    /** The stable number written into saved indexes. */
    public int code() {
        return code;
    }

    public static WeightEncoding ofCode(int code) {
        for (WeightEncoding e : values()) {
            if (e.code == code) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown weight encoding code " + code);
    }
}
