package dev.lsr.eval.beir;

import java.util.List;

/** A model's per-term max logits before activation, for the {@link LogitCache}. */
public interface LogitSource {

    /** Per text: {@code float[dimension()]}, the max over its tokens of each vocabulary logit. */
    List<float[]> maxLogits(List<String> texts);

    /** Terms the encoder never emits (special tokens). */
    boolean[] maskedTerms();

    /** Model checksum and anything else (max tokens) that changes the logits. */
    String identity();

    int dimension();
}
