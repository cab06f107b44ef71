package dev.lsr.opensearch.vocab;

import dev.lsr.seismic.Vocabulary;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Pattern;
import org.opensearch.common.xcontent.json.JsonXContent;
import org.opensearch.core.xcontent.DeprecationHandler;
import org.opensearch.core.xcontent.NamedXContentRegistry;
import org.opensearch.core.xcontent.XContentParser;

/**
 * The vocabularies a node has: lsr model directories under {@code <config>/lsr-models/<name>/},
 * each holding a BERT {@code vocab.txt} or a Hugging Face {@code tokenizer.json} (its
 * {@code model.vocab}), as {@code lsr model import} writes them. A mapping names one by
 * {@code name}; every node that holds a shard of the index needs the same directory (the mapping
 * is refused on a node without it). Loaded once per name and node, then shared.
 */
public final class ModelVocabularies {

    public static final String DIRECTORY = "lsr-models";
    // A plain directory name: never a path that could leave the models directory.
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private final Path root;
    private final ConcurrentMap<String, Vocabulary> loaded = new ConcurrentHashMap<>();

    /** @param configDir the node's config directory ({@code path.conf}) */
    public ModelVocabularies(Path configDir) {
        this.root = configDir == null ? null : configDir.resolve(DIRECTORY);
    }

    /** The vocabulary of model {@code name}, or an {@link IllegalArgumentException} saying where it was looked for. */
    public Vocabulary get(String name) {
        Path dir = directory("vocabulary", name);
        return loaded.computeIfAbsent(name, n -> load(dir));
    }

    /**
     * {@code <config>/lsr-models/<name>}, for a plain directory name; {@code parameter} names the
     * mapping or processor parameter in the error a bad name gets.
     */
    public Path directory(String parameter, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("[" + parameter + "] must be the name of a directory under <config>/" + DIRECTORY
                    + "/ (letters, digits, '.', '_', '-'), was [" + name + "]");
        }
        if (root == null) {
            throw new IllegalArgumentException("[" + parameter + "] [" + name + "]: this node has no config directory to read "
                    + DIRECTORY + "/ from");
        }
        return root.resolve(name);
    }

    static Vocabulary load(Path dir) {
        Path vocabTxt = dir.resolve("vocab.txt");
        Path tokenizer = dir.resolve("tokenizer.json");
        try {
            if (Files.isRegularFile(vocabTxt)) {
                return Vocabulary.fromVocabTxt(vocabTxt);
            }
            if (Files.isRegularFile(tokenizer)) {
                return fromTokenizerJson(tokenizer);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("[vocabulary]: cannot read " + dir + ": " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("[vocabulary]: " + dir + " holds neither vocab.txt nor tokenizer.json"
                + " (every node needs the model directory under <config>/" + DIRECTORY + "/)");
    }

    /** Hugging Face {@code tokenizer.json}: {@code model.vocab} maps each token to its id, ids dense from 0. */
    static Vocabulary fromTokenizerJson(Path file) throws IOException {
        String[] tokens = null;
        try (InputStream in = Files.newInputStream(file);
                XContentParser p = JsonXContent.jsonXContent.createParser(NamedXContentRegistry.EMPTY,
                        DeprecationHandler.THROW_UNSUPPORTED_OPERATION, in)) {
            if (p.nextToken() != XContentParser.Token.START_OBJECT) {
                throw new IllegalArgumentException(file + ": not a JSON object");
            }
            while (p.nextToken() == XContentParser.Token.FIELD_NAME) {
                String key = p.currentName();
                p.nextToken();
                if (key.equals("model") && p.currentToken() == XContentParser.Token.START_OBJECT) {
                    while (p.nextToken() == XContentParser.Token.FIELD_NAME) {
                        String inner = p.currentName();
                        p.nextToken();
                        if (inner.equals("vocab") && p.currentToken() == XContentParser.Token.START_OBJECT) {
                            tokens = readVocab(p, file);
                        } else {
                            p.skipChildren();
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
        }
        if (tokens == null) {
            throw new IllegalArgumentException(file + ": no model.vocab object");
        }
        return new Vocabulary(List.of(tokens));
    }

    private static String[] readVocab(XContentParser p, Path file) throws IOException {
        List<String> names = new ArrayList<>();
        List<Integer> ids = new ArrayList<>();
        while (p.nextToken() == XContentParser.Token.FIELD_NAME) {
            names.add(p.currentName());
            p.nextToken();
            ids.add(p.intValue(false));
        }
        String[] tokens = new String[names.size()];
        for (int i = 0; i < tokens.length; i++) {
            int id = ids.get(i);
            if (id < 0 || id >= tokens.length || tokens[id] != null) {
                throw new IllegalArgumentException(file + ": model.vocab id " + id + " of '" + names.get(i)
                        + "' is not a dense id in [0, " + tokens.length + ")");
            }
            tokens[id] = names.get(i);
        }
        return tokens;
    }
}
