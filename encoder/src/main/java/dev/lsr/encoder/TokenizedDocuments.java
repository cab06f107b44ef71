package dev.lsr.encoder;

import dev.lsr.encoder.tokenize.TextTokenizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Texts already turned into model tokens by {@link SparseEncoder#tokenizeDocuments}, ready for
 * {@link SparseEncoder#encodeDocumentBatch(TokenizedDocuments, java.util.function.IntConsumer)}.
 * Splitting the two lets a pipeline tokenise the next window while the model runs the current one
 * ({@link DocumentPipeline}). Only the encoder (or a view of it) that made it may run it: another
 * model's tokenizer gives other ids.
 */
public final class TokenizedDocuments {

    private final Object tokenizer;
    private final List<TextTokenizer.Tokens> tokens;

    TokenizedDocuments(Object tokenizer, List<TextTokenizer.Tokens> tokens) {
        this.tokenizer = tokenizer;
        this.tokens = Collections.unmodifiableList(new ArrayList<>(tokens));
    }

    /** Number of texts (blank ones included). */
    public int size() {
        return tokens.size();
    }

    /** Whether text {@code i} was cut at the model's max tokens. */
    public boolean truncated(int i) {
        TextTokenizer.Tokens t = tokens.get(i);
        return t != null && t.truncated();
    }

    Object tokenizer() {
        return tokenizer;
    }

    /** Per text, its tokens; null for a blank text. */
    List<TextTokenizer.Tokens> tokens() {
        return tokens;
    }
}
