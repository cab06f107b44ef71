package dev.lsr.eval.index;

import dev.lsr.eval.cli.ExitCodes.BadInputException;
import dev.lsr.seismic.Vocabulary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Finds the vocabulary of a model directory: {@code vocab.txt}, or {@code tokenizer.json}'s {@code model.vocab}. */
final class Vocabularies {

    private Vocabularies() {}

    /** The vocabulary of {@code model} if it is a directory (or file) holding one; else null. */
    static Vocabulary ofModel(String model) throws IOException {
        if (model == null) {
            return null;
        }
        Path p = Path.of(model);
        Path vocabTxt = Files.isDirectory(p) ? p.resolve("vocab.txt") : p;
        if (Files.isRegularFile(vocabTxt) && vocabTxt.getFileName().toString().endsWith(".txt")) {
            return Vocabulary.fromVocabTxt(vocabTxt);
        }
        Path tokenizer = Files.isDirectory(p) ? p.resolve("tokenizer.json") : p;
        if (Files.isRegularFile(tokenizer) && tokenizer.getFileName().toString().endsWith(".json")) {
            JsonNode vocab = JsonMapper.builder().build().readTree(tokenizer.toFile()).path("model").path("vocab");
            if (!vocab.isObject()) {
                throw new BadInputException(tokenizer + ": no model.vocab object");
            }
            String[] tokens = new String[vocab.size()];
            for (Map.Entry<String, JsonNode> e : vocab.properties()) {
                int id = e.getValue().asInt(-1);
                if (id < 0 || id >= tokens.length || tokens[id] != null) {
                    throw new BadInputException(tokenizer + ": model.vocab id of '" + e.getKey() + "' is not a dense id");
                }
                tokens[id] = e.getKey();
            }
            List<String> list = new ArrayList<>(Arrays.asList(tokens));
            return new Vocabulary(list);
        }
        return null;
    }
}
