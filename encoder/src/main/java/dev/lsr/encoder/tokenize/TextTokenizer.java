package dev.lsr.encoder.tokenize;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Word-piece tokenization for the encoder: DJL's binding of Hugging Face tokenizers, loaded from a
 * {@code tokenizer.json} or from a BERT {@code vocab.txt} (converted by {@link WordPieceConfig}).
 * Adds [CLS] and [SEP], truncates at the model's max tokens. Thread-safe.
 */
public final class TextTokenizer implements AutoCloseable {

    /** Ids and pieces of one text, with [CLS]/[SEP]; {@code truncated} when the text was longer than max tokens. */
    public record Tokens(long[] ids, String[] pieces, boolean truncated) {
        public int length() {
            return ids.length;
        }
    }

    private final HuggingFaceTokenizer tokenizer;
    private final int maxTokens;

    private TextTokenizer(HuggingFaceTokenizer tokenizer, int maxTokens) {
        this.tokenizer = tokenizer;
        this.maxTokens = maxTokens;
    }

    /**
     * @param file {@code tokenizer.json}, or {@code vocab.txt} (any other name ending in .txt)
     * @param lowerCase used for vocab.txt only; tokenizer.json carries its own normaliser
     */
    public static TextTokenizer open(Path file, int maxTokens, boolean lowerCase) throws IOException {
        Map<String, String> options = Map.of(
                "addSpecialTokens", "true",
                "truncation", "true",
                "padding", "false",
                "maxLength", Integer.toString(maxTokens));
        byte[] json;
        if (file.getFileName().toString().endsWith(".txt")) {
            List<String> vocab = Files.readAllLines(file, StandardCharsets.UTF_8);
            json = WordPieceConfig.tokenizerJson(vocab, lowerCase).getBytes(StandardCharsets.UTF_8);
        } else {
            json = Files.readAllBytes(file);
        }
        try (InputStream in = new ByteArrayInputStream(json)) {
            return new TextTokenizer(HuggingFaceTokenizer.newInstance(in, options), maxTokens);
        }
    }

    public int maxTokens() {
        return maxTokens;
    }

    public Tokens encode(String text) {
        Encoding e = tokenizer.encode(text, true, false);
        return new Tokens(e.getIds(), e.getTokens(), e.exceedMaxLength());
    }

    /** The word pieces without [CLS]/[SEP]: what a reference WordPiece tokenizer prints. */
    public String[] pieces(String text) {
        Encoding e = tokenizer.encode(text, false, false);
        return e.getTokens();
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
