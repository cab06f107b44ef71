package dev.lsr.encoder.tokenize;

import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns a BERT {@code vocab.txt} into the equivalent Hugging Face {@code tokenizer.json}
 * (BertNormalizer, BertPreTokenizer, WordPiece with {@code ##} continuations, [CLS] ... [SEP]), so
 * one tokenizer implementation (the Rust one behind DJL) serves both model directory forms.
 */
public final class WordPieceConfig {

    static final List<String> SPECIAL = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]");

    private WordPieceConfig() {}

    public static String tokenizerJson(List<String> vocab, boolean lowerCase) {
        JsonMapper json = JsonMapper.builder().build();
        ObjectNode root = json.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        ObjectNode vocabNode = json.createObjectNode();
        Map<String, Integer> firstId = new java.util.HashMap<>();
        for (int i = 0; i < vocab.size(); i++) {
            // Duplicates (rare in vocab.txt files) resolve to the first id, as BERT's own loader does.
            if (firstId.putIfAbsent(vocab.get(i), i) == null) {
                vocabNode.put(vocab.get(i), i);
            }
        }
        for (String s : SPECIAL) {
            Integer id = firstId.get(s);
            if (id == null) {
                throw new IllegalArgumentException("vocab.txt has no " + s + " token");
            }
            ObjectNode t = added.addObject();
            t.put("id", id);
            t.put("content", s);
            t.put("single_word", false);
            t.put("lstrip", false);
            t.put("rstrip", false);
            t.put("normalized", false);
            t.put("special", true);
        }
        ObjectNode norm = root.putObject("normalizer");
        norm.put("type", "BertNormalizer");
        norm.put("clean_text", true);
        norm.put("handle_chinese_chars", true);
        norm.putNull("strip_accents");
        norm.put("lowercase", lowerCase);
        root.putObject("pre_tokenizer").put("type", "BertPreTokenizer");
        ObjectNode post = root.putObject("post_processor");
        post.put("type", "BertProcessing");
        post.putArray("sep").add("[SEP]").add(firstId.get("[SEP]"));
        post.putArray("cls").add("[CLS]").add(firstId.get("[CLS]"));
        ObjectNode dec = root.putObject("decoder");
        dec.put("type", "WordPiece");
        dec.put("prefix", "##");
        dec.put("cleanup", true);
        ObjectNode model = root.putObject("model");
        model.put("type", "WordPiece");
        model.put("unk_token", "[UNK]");
        model.put("continuing_subword_prefix", "##");
        model.put("max_input_chars_per_word", 100);
        model.set("vocab", vocabNode);
        return json.writeValueAsString(root);
    }
}
