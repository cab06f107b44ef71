package dev.lsr.seismic.build;

import dev.lsr.seismic.forward.ForwardIndex;
import dev.lsr.seismic.forward.Layouts;
import dev.lsr.seismic.forward.WeightEncoding;
import java.lang.foreign.MemorySegment;

/**
 * Entry-level reads of a {@link ForwardIndex} for the build stages: by global entry offset rather
 * than by (document, position), so that a stage streams a document's entries in one loop.
 */
final class Entries {
    final ForwardIndex forward;
    final int dim;
    final int size;
    private final boolean wide;
    private final WeightEncoding enc;
    private final MemorySegment offs;
    private final MemorySegment ids;
    private final MemorySegment ws;
    private final MemorySegment scales;

    Entries(ForwardIndex forward) {
        this.forward = forward;
        this.dim = forward.dim();
        this.size = forward.size();
        this.wide = ForwardIndex.wideIds(dim);
        this.enc = forward.encoding();
        this.offs = forward.offsetsSegment();
        this.ids = forward.idsSegment();
        this.ws = forward.weightsSegment();
        this.scales = forward.scalesSegment();
    }

    /** First entry of document {@code doc}; {@code start(doc + 1)} ends it. */
    long start(int doc) {
        return offs.get(Layouts.I64, doc * 8L);
    }

    int term(long e) {
        return wide ? ids.get(Layouts.I32, e * 4) : Short.toUnsignedInt(ids.get(Layouts.I16, e * 2));
    }

    float weight(int doc, long e) {
        return enc == WeightEncoding.F16
                ? Float.float16ToFloat(ws.get(Layouts.I16, e * 2))
                : Byte.toUnsignedInt(ws.get(Layouts.U8, e)) * scales.get(Layouts.F32, doc * 4L);
    }

    /** The positive half-float bits of entry e's weight, straight from storage when it is F16. */
    int halfBits(int doc, long e) {
        return enc == WeightEncoding.F16 ? ws.get(Layouts.I16, e * 2) & 0x7FFF
                : Float.floatToFloat16(weight(doc, e)) & 0x7FFF;
    }
}
