package dev.lsr.encoder.onnx;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/** The session options every lsr ONNX Runtime graph (body, int8 head, the benchmark's head) runs with. */
public final class OrtSessions {

    private OrtSessions() {}

    /**
     * {@code threads} intra-op threads, one inter-op thread, sequential execution, every graph
     * optimisation, and no spinning: the body and the heads alternate on the same cores, and a
     * spinning ORT worker steals the core the next stage runs on. The caller closes the options.
     */
    public static OrtSession.SessionOptions options(int threads) throws OrtException {
        OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
        try {
            opts.setIntraOpNumThreads(threads);
            opts.setInterOpNumThreads(1);
            opts.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            opts.addConfigEntry("session.intra_op.allow_spinning", "0");
            opts.addConfigEntry("session.inter_op.allow_spinning", "0");
            opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            return opts;
        } catch (OrtException | RuntimeException e) {
            opts.close();
            throw e;
        }
    }
}
