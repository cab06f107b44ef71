package dev.lsr.eval.beir;

import dev.lsr.eval.cli.ExitCodes.BadInputException;
import dev.lsr.seismic.SparseVector;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.ToIntFunction;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Vectors encoded elsewhere: documents as Anserini JsonVectorCollection or vector JSONL
 * ({@code {"id": ..., "vector": {"token": weight}}}), queries as that JSONL or Anserini's TSV
 * ({@code id<TAB>tokens}, a token repeated once per unit of weight quantised by 100).
 * Tokens are mapped to term ids by the model's vocabulary when there is one, otherwise by a
 * dictionary built from the tokens seen (sorted, so ids are deterministic).
 */
public final class PreEncoded {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private PreEncoded() {}

    /** Token weights per id, before mapping to term ids. */
    public static Map<String, Map<String, Float>> read(Path file) {
        Map<String, Map<String, Float>> out = new LinkedHashMap<>();
        boolean tsv = file.getFileName().toString().matches(".*\\.tsv(\\.gz)?$");
        try (BufferedReader r = BeirLoader.open(file)) {
            String s;
            int line = 0;
            while ((s = r.readLine()) != null) {
                line++;
                if (s.isBlank()) {
                    continue;
                }
                String id;
                Map<String, Float> weights = new HashMap<>();
                if (tsv) {
                    int tab = s.indexOf('\t');
                    if (tab <= 0) {
                        throw new BadInputException(file + " line " + line + ": expected 'id<TAB>tokens'");
                    }
                    id = s.substring(0, tab);
                    Map<String, Integer> counts = new HashMap<>();
                    for (String t : s.substring(tab + 1).trim().split("\\s+")) {
                        if (!t.isEmpty()) {
                            counts.merge(t, 1, Integer::sum);
                        }
                    }
                    counts.forEach((t, c) -> weights.put(t, c / 100f));
                } else {
                    JsonNode node;
                    try {
                        node = JSON.readTree(s);
                    } catch (JacksonException e) {
                        throw new BadInputException(file + " line " + line + ": not valid JSON (" + e.getOriginalMessage() + ")");
                    }
                    JsonNode idNode = node.get("id");
                    if (idNode == null || !(idNode.isString() || idNode.isNumber())) {
                        idNode = node.get("_id");
                    }
                    if (idNode == null || !(idNode.isString() || idNode.isNumber())) {
                        throw new BadInputException(file + " line " + line + ": missing \"id\"");
                    }
                    id = idNode.asString();
                    JsonNode vec = node.get("vector");
                    if (vec == null || !vec.isObject()) {
                        throw new BadInputException(file + " line " + line + ": missing \"vector\" object");
                    }
                    for (Map.Entry<String, JsonNode> e : vec.properties()) {
                        if (!e.getValue().isNumber() || !Double.isFinite(e.getValue().asDouble())) {
                            throw new BadInputException(file + " line " + line + ": weight of \"" + e.getKey() + "\" is not a finite number");
                        }
                        double w = e.getValue().asDouble();
                        if (w < 0) {
                            throw new BadInputException(file + " line " + line + ": weight of \"" + e.getKey() + "\" is negative");
                        }
                        if (w > 0) {
                            weights.put(e.getKey(), (float) w);
                        }
                    }
                }
                if (out.put(id, weights) != null) {
                    throw new BadInputException(file + " line " + line + ": duplicate id " + id);
                }
            }
        } catch (IOException e) {
            throw new BadInputException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new BadInputException(file + ": no vectors");
        }
        return out;
    }

    /** A token -> id mapping built from every token of the given vector sets. */
    public static Map<String, Integer> dictionary(List<Map<String, Map<String, Float>>> sets) {
        TreeSet<String> tokens = new TreeSet<>();
        for (Map<String, Map<String, Float>> set : sets) {
            set.values().forEach(m -> tokens.addAll(m.keySet()));
        }
        Map<String, Integer> dict = new HashMap<>();
        for (String t : tokens) {
            dict.put(t, dict.size());
        }
        return dict;
    }

    /** Maps token weights to a vector; {@code idOf} returns -1 for an unknown token. */
    public static SparseVector toVector(Map<String, Float> weights, ToIntFunction<String> idOf, int dim, Path file, String id) {
        int[] ids = new int[weights.size()];
        float[] ws = new float[weights.size()];
        int n = 0;
        for (Map.Entry<String, Float> e : weights.entrySet()) {
            int t = idOf.applyAsInt(e.getKey());
            if (t < 0) {
                throw new BadInputException(file + ": vector " + id + " uses token \"" + e.getKey() + "\" that the model's vocabulary lacks");
            }
            ids[n] = t;
            ws[n++] = e.getValue();
        }
        return SparseVector.ofUnsorted(ids, ws, dim);
    }

    /** The vectors of the corpus documents in corpus order; every document needs one. */
    public static List<SparseVector> documentsInCorpusOrder(BeirDataset ds, Map<String, Map<String, Float>> docs,
            ToIntFunction<String> idOf, int dim, Path file) {
        List<SparseVector> out = new ArrayList<>(ds.corpus().size());
        for (BeirDocument d : ds.corpus()) {
            Map<String, Float> w = docs.get(d.id());
            if (w == null) {
                throw new BadInputException(file + ": no vector for corpus document " + d.id());
            }
            out.add(toVector(w, idOf, dim, file, d.id()));
        }
        if (docs.size() > ds.corpus().size()) {
            throw new BadInputException(file + ": " + (docs.size() - ds.corpus().size())
                    + " vector(s) name documents missing from the corpus");
        }
        return out;
    }
}
