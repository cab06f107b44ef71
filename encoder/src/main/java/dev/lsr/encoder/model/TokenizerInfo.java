package dev.lsr.encoder.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** What model.json records about a tokenizer: vocabulary, lower-casing, special-token ids, max length. */
record TokenizerInfo(List<String> vocab, boolean lowerCase, Map<String, Integer> specialTokens, int maxTokens) {

    static final Map<String, String> SPECIAL = Map.of("pad", "[PAD]", "unk", "[UNK]", "cls", "[CLS]", "sep", "[SEP]", "mask", "[MASK]");

    static TokenizerInfo read(Path file, boolean lowerCaseForVocabTxt) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new ModelFormatException(file + ": tokenizer file not found");
        }
        if (file.getFileName().toString().endsWith(".txt")) {
            List<String> vocab = Files.readAllLines(file, StandardCharsets.UTF_8);
            return new TokenizerInfo(vocab, lowerCaseForVocabTxt, special(vocab, file), 512);
        }
        JsonNode root;
        try {
            root = ModelDirectory.json().readTree(file.toFile());
        } catch (JacksonException e) {
            throw new ModelFormatException(file + ": not a tokenizer.json: " + e.getOriginalMessage(), e);
        }
        JsonNode model = root.path("model");
        if (!model.path("type").asString("").equals("WordPiece") || !model.path("vocab").isObject()) {
            throw new ModelFormatException(file + ": expected a WordPiece tokenizer.json (model.type WordPiece with a vocab), found model.type '"
                    + model.path("type").asString("") + "'");
        }
        JsonNode vocabNode = model.path("vocab");
        String[] vocab = new String[vocabNode.size()];
        for (Map.Entry<String, JsonNode> e : vocabNode.properties()) {
            int id = e.getValue().asInt();
            if (id < 0 || id >= vocab.length) {
                throw new ModelFormatException(file + ": vocab id " + id + " of '" + e.getKey() + "' outside 0.." + (vocab.length - 1));
            }
            vocab[id] = e.getKey();
        }
        boolean lower = findLowercase(root.path("normalizer"));
        int max = root.path("truncation").path("max_length").asInt(512);
        List<String> list = List.of(vocab);
        return new TokenizerInfo(list, lower, special(list, file), max);
    }

    private static boolean findLowercase(JsonNode normalizer) {
        if (normalizer.path("lowercase").asBoolean(false) || normalizer.path("type").asString("").equals("Lowercase")) {
            return true;
        }
        for (JsonNode n : normalizer.path("normalizers")) {
            if (findLowercase(n)) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, Integer> special(List<String> vocab, Path file) throws ModelFormatException {
        Map<String, Integer> ids = new LinkedHashMap<>();
        for (String key : List.of("pad", "unk", "cls", "sep", "mask")) {
            int id = vocab.indexOf(SPECIAL.get(key));
            if (id < 0) {
                throw new ModelFormatException(file + ": vocabulary has no " + SPECIAL.get(key) + " token");
            }
            ids.put(key, id);
        }
        return ids;
    }
}
