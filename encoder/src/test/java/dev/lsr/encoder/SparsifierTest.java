package dev.lsr.encoder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.Vocabulary;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Max logits to vectors on a ten-term vocabulary, each case worked out by hand. */
class SparsifierTest {

    //                                             0        1        2      3      4    5      6      7     8      9
    private static final Vocabulary VOCAB = new Vocabulary(List.of("[PAD]", "[CLS]", "the", "##s", ".", "cat", "dog", "!?", "##,", "a"));
    private static final Sparsifier.TermMasks MASKS = Sparsifier.TermMasks.of(VOCAB);
    /** Every special and punctuation term high, so that masking them is seen. */
    private static final float[] LOGITS = {5, 9, 1, 2, 7, 4, 0.2f, 6, 3, -1};
    private static final float[] OFFSETS = {0, 0, 0, 0, 0, 2.5f, 0, 0, 0, 0};

    private static float w(double logit) {
        return (float) Math.log1p(logit);
    }

    @Test
    void masksAreSpecialTokensAndPiecesOfPunctuationOrSymbols() {
        assertThat(MASKS.special()).containsExactly(true, true, false, false, false, false, false, false, false, false);
        assertThat(MASKS.punctuation()).containsExactly(false, false, false, false, true, false, false, true, true, false);
        assertThat(Sparsifier.isPunctuation("€")).isTrue();
        assertThat(Sparsifier.isPunctuation("##-")).isTrue();
        assertThat(Sparsifier.isPunctuation("##s")).isFalse();
        assertThat(Sparsifier.isPunctuation("")).isFalse();
    }

    @Test
    void documentsAreCentredMaskedThresholdedAndCut() {
        EncoderOptions o = EncoderOptions.defaults().withTopK(2).withThreshold(0.5f);
        SparseVector v = new Sparsifier(MASKS, o, OFFSETS).document(LOGITS);
        // Left after masking and centring: the 1 -> 0.69, ##s 2 -> 1.10, cat 4 - 2.5 -> 0.92; dog 0.2 -> 0.18
        // is under the threshold, a is negative. The top 2 in term order:
        assertThat(v.indices()).containsExactly(3, 5);
        assertThat(v.values()).containsExactly(w(2), w(1.5));
    }

    @Test
    void queriesAreCentredOnlyWhenAskedAndCutAtTheQueryTopK() {
        EncoderOptions o = EncoderOptions.defaults().withTopK(1).withQueryTopK(3).withThreshold(0.5f);
        SparseVector plain = new Sparsifier(MASKS, o, OFFSETS).query(LOGITS);
        assertThat(plain.indices()).containsExactly(2, 3, 5);
        assertThat(plain.values()).containsExactly(w(1), w(2), w(4));
        SparseVector centred = new Sparsifier(MASKS, o.withQueryCentring(true), OFFSETS).query(LOGITS);
        assertThat(centred.values()).containsExactly(w(1), w(2), w(1.5));
    }

    @Test
    void withoutMaskingSpecialAndPunctuationTermsStay() {
        EncoderOptions o = EncoderOptions.defaults().withTopK(0).withThreshold(0.5f).withMasking(false, false);
        SparseVector v = new Sparsifier(MASKS, o, null).document(LOGITS);
        assertThat(v.indices()).containsExactly(0, 1, 2, 3, 4, 5, 7, 8);
        assertThat(v.values()).containsExactly(w(5), w(9), w(1), w(2), w(7), w(4), w(6), w(3));
        EncoderOptions onlySpecial = o.withMasking(true, false);
        assertThat(new Sparsifier(MASKS, onlySpecial, null).document(LOGITS).indices()).containsExactly(2, 3, 4, 5, 7, 8);
    }

    @Test
    void rawIsEveryPositiveLogitUntouched() {
        EncoderOptions o = EncoderOptions.defaults().withRaw(true).withTopK(1).withThreshold(5f);
        SparseVector v = new Sparsifier(MASKS, o, OFFSETS).document(LOGITS);
        assertThat(v.indices()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(v.value(5)).isEqualTo(w(4));
        assertThat(new Sparsifier(MASKS, o, OFFSETS).query(LOGITS)).isEqualTo(v);
        assertThat(new Sparsifier(MASKS, o, OFFSETS).document(null)).isEqualTo(SparseVector.empty());
    }

    @Test
    void inferenceFreeQueriesWeighEachDistinctTokenOnce() {
        QueryWeights weights = QueryWeights.of(new float[] {9, 9, 0.1f, 0.7f, 9, 2, 1.5f, 9, 9, 0});
        EncoderOptions o = EncoderOptions.defaults().withQueryTopK(2);
        // [CLS] cat cat . dog the a: special and punctuation out, cat once, a has no weight; top 2.
        long[] ids = {1, 5, 5, 4, 6, 2, 9};
        SparseVector v = new Sparsifier(MASKS, o, null).inferenceFree(ids, weights, 10);
        assertThat(v.indices()).containsExactly(5, 6);
        assertThat(v.values()).containsExactly(2f, 1.5f);
        SparseVector all = new Sparsifier(MASKS, o.withQueryTopK(0).withMasking(true, false), null).inferenceFree(ids, weights, 10);
        assertThat(all.indices()).containsExactly(2, 4, 5, 6);
    }
}
