package dev.lsr.encoder.tokenize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lsr.encoder.TinyModel;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Word pieces of all 6,980 MS MARCO dev queries against the reference tokenizer's golden file. */
class TokenizerParityTest {

    @TempDir
    Path tmp;

    static Map<String, String> golden(Path gz) throws Exception {
        Map<String, String> m = new HashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(gz)), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                int tab = line.indexOf('\t');
                m.put(line.substring(0, tab), line.substring(tab + 1));
            }
        }
        return m;
    }

    static void assertParity(TextTokenizer tok, Path queries, Map<String, String> golden) throws Exception {
        int n = 0;
        List<String> mismatches = new ArrayList<>();
        for (String line : Files.readAllLines(queries, StandardCharsets.UTF_8)) {
            int tab = line.indexOf('\t');
            String id = line.substring(0, tab);
            String pieces = String.join(" ", tok.pieces(line.substring(tab + 1)));
            if (!pieces.equals(golden.get(id))) {
                mismatches.add(id + ": " + pieces + " != " + golden.get(id));
            }
            n++;
        }
        assertThat(n).isEqualTo(6980);
        assertThat(mismatches).isEmpty();
    }

    @Test
    void tokenizerJsonAndVocabTxtBothMatchTheReference() throws Exception {
        Path dir = TinyModel.shared().resolve("data/msmarco-dev");
        Path queries = dir.resolve("queries.tsv");
        Path wp = dir.resolve("queries.wp.tsv.gz");
        assumeTrue(Files.isRegularFile(queries) && Files.isRegularFile(wp), "skipped: " + dir + " lacks queries.tsv / queries.wp.tsv.gz");
        assumeTrue(Files.isRegularFile(TinyModel.tokenizer()), "skipped: " + TinyModel.tokenizer() + " is absent");
        Map<String, String> golden = golden(wp);
        try (TextTokenizer tok = TextTokenizer.open(TinyModel.tokenizer(), 512, true)) {
            assertParity(tok, queries, golden);
        }
        // The same vocabulary as a BERT vocab.txt, through the generated tokenizer.json.
        JsonNode vocab = JsonMapper.builder().build().readTree(TinyModel.tokenizer().toFile()).path("model").path("vocab");
        String[] tokens = new String[vocab.size()];
        vocab.properties().forEach(e -> tokens[e.getValue().asInt()] = e.getKey());
        Path vocabTxt = tmp.resolve("vocab.txt");
        Files.write(vocabTxt, Arrays.asList(tokens), StandardCharsets.UTF_8);
        try (TextTokenizer tok = TextTokenizer.open(vocabTxt, 512, true)) {
            assertParity(tok, queries, golden);
            TextTokenizer.Tokens t = tok.encode("The Capital of France");
            assertThat(t.pieces()).containsExactly("[CLS]", "the", "capital", "of", "france", "[SEP]");
            assertThat(t.ids()[0]).isEqualTo(101);
        }
    }
}
