package dev.lsr.eval.bench;

import dev.lsr.encoder.tokenize.TextTokenizer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The benchmark's texts: MS MARCO dev queries of a given token length, SciFact abstracts cut to a token budget. */
public final class BenchTexts {

    private BenchTexts() {}

    /** Up to {@code n} queries (second column of {@code id<TAB>text}) whose model input is minTokens..maxTokens long. */
    public static List<String> queries(Path tsv, TextTokenizer tok, int minTokens, int maxTokens, int n)
            throws IOException {
        if (!Files.isRegularFile(tsv)) {
            throw new NoSuchFileException(tsv.toString());
        }
        List<String> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(tsv, StandardCharsets.UTF_8)) {
            String line;
            int lineNo = 0;
            while ((line = r.readLine()) != null && out.size() < n) {
                lineNo++;
                int tab = line.indexOf('\t');
                if (tab < 0) {
                    throw new IOException(tsv + " line " + lineNo + ": expected id<TAB>text");
                }
                String text = line.substring(tab + 1);
                int len = tok.encode(text).length();
                if (len >= minTokens && len <= maxTokens) {
                    out.add(text);
                }
            }
        }
        return out;
    }

    /**
     * Up to {@code n} documents of a BEIR {@code corpus.jsonl[.gz]} ("title text"), each cut at a word
     * boundary so that its model input is at most {@code maxTokens} (whatever the model's own limit).
     */
    public static List<String> documents(Path corpus, TextTokenizer tok, int maxTokens, int n) throws IOException {
        List<String> out = new ArrayList<>();
        for (String text : rawDocuments(corpus, n)) {
            out.add(cut(text, tok, maxTokens));
        }
        return out;
    }

    /** Up to {@code n} documents of a BEIR {@code corpus.jsonl[.gz]} as "title text", uncut. */
    public static List<String> rawDocuments(Path corpus, int n) throws IOException {
        if (!Files.isRegularFile(corpus)) {
            throw new NoSuchFileException(corpus.toString());
        }
        JsonMapper json = JsonMapper.builder().build();
        List<String> out = new ArrayList<>();
        try (InputStream in = open(corpus);
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            int lineNo = 0;
            while ((line = r.readLine()) != null && out.size() < n) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode d;
                try {
                    d = json.readTree(line);
                } catch (RuntimeException e) {
                    throw new IOException(corpus + " line " + lineNo + ": not JSON: " + e.getMessage(), e);
                }
                String text = (d.path("title").asString("") + " " + d.path("text").asString("")).strip();
                if (!text.isEmpty()) {
                    out.add(text);
                }
            }
        }
        return out;
    }

    private static InputStream open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        return file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(in, 1 << 16) : in;
    }

    /** The longest prefix of whole words whose encoding fits in maxTokens. */
    static String cut(String text, TextTokenizer tok, int maxTokens) {
        String[] all = text.split("\\s+");
        if (fits(all, all.length, tok, maxTokens)) {
            return text;
        }
        String[] words = all;
        int lo = 1;
        int hi = words.length;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (fits(words, mid, tok, maxTokens)) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return String.join(" ", Arrays.copyOf(words, lo));
    }

    private static boolean fits(String[] words, int k, TextTokenizer tok, int maxTokens) {
        TextTokenizer.Tokens t = tok.encode(String.join(" ", Arrays.copyOf(words, k)));
        return !t.truncated() && t.length() <= maxTokens;
    }
}
