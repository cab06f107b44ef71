package dev.lsr.eval.beir;

import dev.lsr.encoder.EncodedText;
import dev.lsr.encoder.EncoderOptions;
import dev.lsr.encoder.SparseEncoder;
import dev.lsr.encoder.model.ModelInfo;
import dev.lsr.eval.cli.ExitCodes.BadInputException;
import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.Vocabulary;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToIntFunction;

/** A BEIR run's view of the encoder module's {@link SparseEncoder}. */
public final class ModelAdapter implements EvalModel {

    private final SparseEncoder encoder;
    private final String checksum;

    private ModelAdapter(SparseEncoder encoder) {
        this.encoder = encoder;
        this.checksum = checksum(encoder.info(), encoder.usesQuantisedDocumentBody(), encoder.usesOnnxInt8DocumentHead(),
                encoder.documentsRunSevenBitWeights());
    }

    /**
     * Opens the model directory {@code dir} (resolved by the encoder's {@code ModelRegistry}). The
     * encoder's defaults for the model apply, overridden by the options given here (null: keep).
     */
    public static EvalModel open(Path dir, Integer docTopK, Double centringPercentile, Double threshold,
            Integer queryTopK, boolean queryCentring, BeirDataset ds, PrintStream err) {
        String model = dir.toString();
        if (docTopK != null && docTopK < 0) {
            throw new BadInputException("--doc-top-k must be >= 0, got " + docTopK);
        }
        if (queryTopK != null && queryTopK < 0) {
            throw new BadInputException("--query-top-k must be >= 0, got " + queryTopK);
        }
        SparseEncoder enc;
        try {
            enc = SparseEncoder.open(dir, info -> {
                // Full-mode queries run the model (inference-free ones take the collection's IDF, CollectionBackend),
                // also when the model has a query_weights.json that model.json's query mode would apply.
                EncoderOptions opts = EncoderOptions.defaults(info).withQueryMode(dev.lsr.encoder.QueryMode.FULL);
                if (docTopK != null) {
                    opts = opts.withTopK(docTopK);
                }
                if (threshold != null) {
                    opts = opts.withThreshold(threshold.floatValue());
                }
                if (queryTopK != null) {
                    opts = opts.withQueryTopK(queryTopK);
                }
                return opts.withQueryCentring(queryCentring);
            });
        } catch (IOException e) {
            throw new BadInputException("--model " + model + ": " + e.getMessage(), e);
        }
        if (centringPercentile != null && centringPercentile > 0) {
            // Fitted on the corpus being indexed (an unsupervised corpus statistic, like IDF) and
            // applied in memory: the model directory is not changed.
            List<String> texts = ds.corpus().stream().map(BeirDocument::fullText).toList();
            err.printf("lsr beir: fitting centring offsets (percentile %s) on %,d documents%n", centringPercentile, texts.size());
            float[] off = SparseEncoder.centringOffsets(enc.maxLogits(texts), centringPercentile);
            enc = enc.withOptions(enc.options().withTermOffsets(off));
        } else if (centringPercentile != null) {
            enc = enc.withOptions(enc.options().withCentring(false));
        }
        return new ModelAdapter(enc);
    }

    @Override
    public String name() {
        return encoder.info().name();
    }

    @Override
    public DocumentEncoder documents() {
        return new DocumentEncoder() {
            @Override
            public List<SparseVector> encodeDocuments(List<String> texts) {
                return encodeDocuments(texts, done -> { });
            }

            @Override
            public List<SparseVector> encodeDocuments(List<String> texts, java.util.function.IntConsumer progress) {
                List<SparseVector> out = new ArrayList<>(texts.size());
                // Blank texts never reach the model; count them so that progress adds up to the list.
                int blank = (int) texts.stream().filter(t -> t == null || t.isBlank()).count();
                for (EncodedText t : encoder.encodeDocumentBatch(texts, progress).documents()) {
                    out.add(t.vector());
                }
                progress.accept(blank);
                return out;
            }

            @Override
            public String modelChecksum() {
                return checksum;
            }

            @Override
            public String optionsDescription() {
                return describeOptions(encoder.options());
            }

            @Override
            public int dimension() {
                return encoder.info().vocabSize();
            }
        };
    }

    @Override
    public SparseVector encodeQuery(String text) {
        return encoder.encodeQuery(text).vector();
    }

    @Override
    public double defaultQueryIdfPower() {
        return encoder.info().defaults().queryIdfPowerOrOne();
    }

    @Override
    public float[] termOffsets() {
        float[] o = encoder.options().termOffsets();
        return encoder.options().centring() && o != null ? o.clone() : null;
    }

    @Override
    public int dimension() {
        return encoder.info().vocabSize();
    }

    @Override
    public ToIntFunction<String> termIds() {
        Vocabulary v = encoder.vocabulary();
        return t -> v.id(t).orElse(-1);
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", encoder.info().name());
        m.put("dir", encoder.modelDir().toString());
        m.put("checksum", checksum);
        m.put("max_tokens", encoder.info().maxTokens());
        m.put("options", describeOptions(encoder.options()));
        return m;
    }

    @Override
    public Optional<LogitSource> logits() {
        return Optional.of(new LogitSource() {
            @Override
            public List<float[]> maxLogits(List<String> texts) {
                return rows(encoder.maxLogits(texts));
            }

            @Override
            public List<float[]> maxLogits(List<String> texts, java.util.function.IntConsumer progress) {
                int blank = (int) texts.stream().filter(t -> t == null || t.isBlank()).count();
                List<float[]> rows = rows(encoder.maxLogits(texts, progress));
                progress.accept(blank);
                return rows;
            }

            @Override
            public List<float[]> queryMaxLogits(List<String> texts) {
                return rows(encoder.queryMaxLogits(texts));
            }

            @Override
            public String queryIdentity() {
                // Query logits come from the query body when the model has one: its checksum keys them.
                // Without one they come from body.onnx, which the document identity leaves out when
                // documents run the quantised body.
                String body = encoder.usesQueryBody() ? encoder.info().files().get(ModelInfo.QUERY_BODY)
                        : encoder.usesQuantisedDocumentBody() ? encoder.info().files().get(ModelInfo.BODY) : "document-body";
                return identity() + "/query_body=" + body;
            }

            @Override
            public SparseVector document(float[] logits, float[] offsets, float threshold, int topK) {
                EncoderOptions o = encoder.options().withThreshold(threshold).withTopK(topK);
                o = offsets == null ? o.withCentring(false) : o.withTermOffsets(offsets);
                return encoder.withOptions(o).postprocess(logits);
            }

            @Override
            public SparseVector query(float[] logits, float[] offsets, Integer topK) {
                // encodeQuery's full mode prunes like postprocess, with the query cap and optional centring.
                return document(logits, offsets, 0f, topK != null ? topK : encoder.options().queryTopK());
            }

            @Override
            public int defaultDocumentTopK() {
                return encoder.options().topK();
            }

            @Override
            public String identity() {
                return checksum + "/max_tokens=" + encoder.info().maxTokens();
            }

            @Override
            public int dimension() {
                return encoder.info().vocabSize();
            }
        });
    }

    private List<float[]> rows(float[][] m) {
        List<float[]> out = new ArrayList<>(m.length);
        for (float[] row : m) {
            if (row == null) { // blank text: no term can fire
                row = new float[dimension()];
                Arrays.fill(row, Float.NEGATIVE_INFINITY);
            }
            out.add(row);
        }
        return out;
    }

    @Override
    public void close() {
        encoder.close();
    }

    static String describeOptions(EncoderOptions o) {
        String offsets = "none";
        if (o.centring()) {
            offsets = o.termOffsets() == null ? "model-file" : digest(o.termOffsets());
        }
        return "raw=" + o.raw() + ",top_k=" + o.topK() + ",threshold=" + o.threshold() + ",centring=" + offsets
                + ",mask_special=" + o.maskSpecial() + ",mask_punctuation=" + o.maskPunctuation();
    }

    private static String checksum(ModelInfo info, boolean quantisedDocuments, boolean onnxInt8Head, boolean sevenBit) {
        // Files, plus what model.json says about reading text: the same weights at another
        // max_tokens make other vectors. Only the body documents run: the other can change freely.
        // The int8 head makes other logits from the same head.bin (the fused head adds nothing, so
        // caches written before document_head existed stay valid).
        // So do int8 weights in 7 bits (x86 without VNNI: SparseEncoder.documentsRunSevenBitWeights).
        StringBuilder sb = new StringBuilder("max_tokens=" + info.maxTokens() + ";lower_case=" + info.lowerCase() + ";"
                + (onnxInt8Head ? "document_head=" + ModelInfo.HEAD_ONNX_INT8 + ";" : "")
                + (sevenBit ? "int8_weights=7bit;" : ""));
        info.documentFiles(quantisedDocuments).forEach((f, h) -> sb.append(f).append('=').append(h).append(';'));
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8))).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String digest(float[] xs) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(xs.length * 4);
        for (float x : xs) {
            b.putFloat(x);
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b.array())).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
