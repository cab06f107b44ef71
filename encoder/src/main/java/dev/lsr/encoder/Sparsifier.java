package dev.lsr.encoder;

import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.Vocabulary;
import java.util.Arrays;

/**
 * Max logits to sparse vectors, as an encoder's options say: {@code log1p(relu(.))} of the logits
 * (centred by per-term offsets where asked), special and punctuation terms masked, weights under
 * the threshold dropped, the top k kept; or the raw activation. Also inference-free query
 * vectors, from a query's token ids and per-term weights. Immutable; one per encoder view.
 */
final class Sparsifier {

    /** Which vocabulary entries are special tokens ({@code [CLS]}-like) and which punctuation or symbols. */
    record TermMasks(boolean[] special, boolean[] punctuation) {

        static TermMasks of(Vocabulary vocab) {
            boolean[] special = new boolean[vocab.size()];
            boolean[] punctuation = new boolean[vocab.size()];
            for (int i = 0; i < vocab.size(); i++) {
                String t = vocab.token(i);
                special[i] = t.length() > 2 && t.startsWith("[") && t.endsWith("]");
                punctuation[i] = isPunctuation(t);
            }
            return new TermMasks(special, punctuation);
        }
    }

    private final TermMasks masks;
    private final EncoderOptions options;
    /** Document centring offsets (null: none); queries use them only with {@link EncoderOptions#queryCentring()}. */
    private final float[] offsets;

    Sparsifier(TermMasks masks, EncoderOptions options, float[] offsets) {
        this.masks = masks;
        this.options = options;
        this.offsets = offsets;
    }

    /** A piece made only of punctuation or symbols (after a {@code ##} prefix). */
    static boolean isPunctuation(String token) {
        String t = token.startsWith("##") && token.length() > 2 ? token.substring(2) : token;
        if (t.isEmpty()) {
            return false;
        }
        return t.codePoints().allMatch(c -> {
            int type = Character.getType(c);
            return type == Character.CONNECTOR_PUNCTUATION || type == Character.DASH_PUNCTUATION
                    || type == Character.START_PUNCTUATION || type == Character.END_PUNCTUATION
                    || type == Character.INITIAL_QUOTE_PUNCTUATION || type == Character.FINAL_QUOTE_PUNCTUATION
                    || type == Character.OTHER_PUNCTUATION || type == Character.MATH_SYMBOL
                    || type == Character.CURRENCY_SYMBOL || type == Character.MODIFIER_SYMBOL
                    || type == Character.OTHER_SYMBOL;
        });
    }

    /** A document's vector from its max logits (null: the empty vector). */
    SparseVector document(float[] maxLogits) {
        if (maxLogits == null) {
            return SparseVector.empty();
        }
        return options.raw() ? raw(maxLogits) : prune(maxLogits, offsets, options.topK());
    }

    /** A full-mode query's vector from its max logits (null: the empty vector). */
    SparseVector query(float[] maxLogits) {
        if (maxLogits == null) {
            return SparseVector.empty();
        }
        return options.raw() ? raw(maxLogits)
                : prune(maxLogits, options.queryCentring() ? offsets : null, options.queryTopK());
    }

    /** Every positive logit's {@code log1p}, nothing masked or cut. */
    private static SparseVector raw(float[] m) {
        int nnz = 0;
        for (float x : m) {
            nnz += x > 0 ? 1 : 0;
        }
        int[] idx = new int[nnz];
        float[] val = new float[nnz];
        int k = 0;
        for (int v = 0; v < m.length; v++) {
            if (m[v] > 0) {
                idx[k] = v;
                val[k++] = (float) Math.log1p(m[v]);
            }
        }
        return SparseVector.of(idx, val, m.length);
    }

    private SparseVector prune(float[] m, float[] off, int cap) {
        boolean[] special = options.maskSpecial() ? masks.special() : null;
        boolean[] punct = options.maskPunctuation() ? masks.punctuation() : null;
        int[] idx = new int[64];
        float[] val = new float[64];
        int k = 0;
        for (int v = 0; v < m.length; v++) {
            float x = off == null ? m[v] : m[v] - off[v];
            if (!(x > 0) || (special != null && special[v]) || (punct != null && punct[v])) {
                continue;
            }
            float w = (float) Math.log1p(x);
            if (w < options.threshold() || w <= 0f) {
                continue;
            }
            if (k == idx.length) {
                idx = Arrays.copyOf(idx, k * 2);
                val = Arrays.copyOf(val, k * 2);
            }
            idx[k] = v;
            val[k++] = w;
        }
        SparseVector sv = SparseVector.of(Arrays.copyOf(idx, k), Arrays.copyOf(val, k), m.length);
        return cap > 0 && sv.size() > cap ? sv.topK(cap) : sv;
    }

    /**
     * An inference-free query: each distinct token's weight (special tokens always, punctuation
     * where masked, left out), capped at the query top k.
     */
    SparseVector inferenceFree(long[] ids, QueryWeights weights, int vocabSize) {
        int[] idx = new int[ids.length];
        float[] val = new float[ids.length];
        int k = 0;
        long[] sortedIds = ids.clone();
        Arrays.sort(sortedIds);
        long prev = -1;
        for (long id : sortedIds) {
            if (id == prev) {
                continue;
            }
            prev = id;
            int v = (int) id;
            if (masks.special()[v] || (options.maskPunctuation() && masks.punctuation()[v])) {
                continue;
            }
            float w = weights.weight(v);
            if (w > 0) {
                idx[k] = v;
                val[k++] = w;
            }
        }
        SparseVector sv = SparseVector.of(Arrays.copyOf(idx, k), Arrays.copyOf(val, k), vocabSize);
        return options.queryTopK() > 0 && sv.size() > options.queryTopK() ? sv.topK(options.queryTopK()) : sv;
    }
}
