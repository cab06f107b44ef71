package dev.lsr.eval.cli;

import dev.lsr.eval.cli.ExitCodes.BadInputException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Document texts for fitting: a BEIR corpus.jsonl[.gz] ({@code title} + " " + {@code text}) or plain lines. */
final class CorpusTexts {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private CorpusTexts() {}

    /** At most {@code n} texts, evenly spaced over the corpus (its first one included). */
    static List<String> sample(List<String> texts, int n) {
        int m = Math.min(n, texts.size());
        List<String> picked = new ArrayList<>(m);
        for (int i = 0; i < m; i++) {
            picked.add(texts.get((int) ((long) i * texts.size() / m)));
        }
        return picked;
    }

    static List<String> read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException(file + ": no such file");
        }
        String name = file.getFileName().toString();
        boolean gz = name.endsWith(".gz");
        boolean jsonl = name.endsWith(".jsonl") || name.endsWith(".jsonl.gz");
        List<String> out = new ArrayList<>();
        try (InputStream raw = Files.newInputStream(file);
                InputStream in = gz ? new GZIPInputStream(raw) : raw;
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            int no = 0;
            while ((line = r.readLine()) != null) {
                no++;
                if (line.isBlank()) {
                    continue;
                }
                if (!jsonl) {
                    out.add(line);
                    continue;
                }
                JsonNode n;
                try {
                    n = JSON.readTree(line);
                } catch (JacksonException e) {
                    throw new BadInputException(file + ":" + no + ": not JSON: " + e.getOriginalMessage());
                }
                String title = n.path("title").asString("");
                String text = n.has("contents") ? n.path("contents").asString("") : n.path("text").asString("");
                String t = title.isEmpty() ? text : text.isEmpty() ? title : title + " " + text;
                if (!t.isBlank()) {
                    out.add(t);
                }
            }
        } catch (IOException e) {
            throw new BadInputException(file + ": " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new BadInputException(file + ": no documents");
        }
        return out;
    }
}
