package dev.lsr.client;

import java.util.List;

/**
 * A text encoded by a model ({@code POST /encode}).
 *
 * @param vector token form, heaviest first
 * @param tokens the text's word pieces
 * @param truncated whether the text was cut at the model's maximum length
 */
public record EncodedText(SparseVector vector, List<String> tokens, boolean truncated) {}
