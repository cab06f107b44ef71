package dev.lsr.encoder;

import dev.lsr.seismic.SparseVector;
import java.util.List;

/**
 * One encoded text.
 *
 * @param tokens the input's word pieces (without [CLS]/[SEP]), for explanations
 * @param truncated whether the text was cut at the model's max tokens
 */
public record EncodedText(SparseVector vector, List<String> tokens, boolean truncated) {
    public EncodedText {
        tokens = List.copyOf(tokens);
    }

    public static EncodedText empty() {
        return new EncodedText(SparseVector.empty(), List.of(), false);
    }
}
