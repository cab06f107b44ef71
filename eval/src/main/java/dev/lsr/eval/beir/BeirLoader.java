package dev.lsr.eval.beir;

import dev.lsr.eval.cli.ExitCodes.BadInputException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the BEIR layout: {@code corpus.jsonl[.gz]}, {@code queries.jsonl} (or
 * {@code queries.<split>.jsonl}), {@code qrels/<split>.tsv}. Every problem names the file and line.
 *
 * <p>Qrels that name a document missing from the corpus or a query missing from the queries file
 * are errors (exit 2) unless {@code lenient}: then they become warnings and the judgements stay,
 * so such relevant documents still count in recall's denominator, as trec_eval would count them.
 */
public final class BeirLoader {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final boolean lenient;

    public BeirLoader(boolean lenient) {
        this.lenient = lenient;
    }

    public BeirDataset load(Path dir, String split) {
        if (!Files.isDirectory(dir)) {
            throw new BadInputException("--data " + dir + " is not a directory");
        }
        Path corpusFile = firstExisting(dir, "corpus.jsonl", "corpus.jsonl.gz");
        Path queriesFile = firstExisting(dir, "queries." + split + ".jsonl", "queries.jsonl");
        Path qrelsFile = dir.resolve("qrels").resolve(split + ".tsv");
        if (!Files.isRegularFile(qrelsFile)) {
            throw new BadInputException("missing qrels for split '" + split + "': " + qrelsFile);
        }
        List<String> warnings = new ArrayList<>();
        List<BeirDocument> corpus = readCorpus(corpusFile);
        Map<String, String> allQueries = readQueries(queriesFile);
        Map<String, Map<String, Integer>> qrels = readQrels(qrelsFile);

        Set<String> docIds = new HashSet<>(corpus.size() * 2);
        corpus.forEach(d -> docIds.add(d.id()));
        int unknownDocs = 0;
        int unknownQueries = 0;
        String firstUnknown = null;
        for (Map.Entry<String, Map<String, Integer>> q : qrels.entrySet()) {
            if (!allQueries.containsKey(q.getKey())) {
                unknownQueries++;
                firstUnknown = firstUnknown != null ? firstUnknown : "query " + q.getKey();
            }
            for (String d : q.getValue().keySet()) {
                if (!docIds.contains(d)) {
                    unknownDocs++;
                    firstUnknown = firstUnknown != null ? firstUnknown : "document " + d + " (query " + q.getKey() + ")";
                }
            }
        }
        if (unknownDocs + unknownQueries > 0) {
            String msg = qrelsFile + ": " + unknownDocs + " judgement(s) name documents missing from "
                    + corpusFile.getFileName() + " and " + unknownQueries + " name queries missing from "
                    + queriesFile.getFileName() + " (first: " + firstUnknown + ")";
            if (!lenient) {
                throw new BadInputException(msg + "; pass --lenient to run anyway");
            }
            warnings.add(msg);
        }
        Map<String, String> queries = new LinkedHashMap<>();
        for (Map.Entry<String, String> q : allQueries.entrySet()) {
            if (qrels.containsKey(q.getKey())) {
                queries.put(q.getKey(), q.getValue());
            }
        }
        if (queries.isEmpty()) {
            throw new BadInputException(queriesFile + ": none of its queries is judged in " + qrelsFile);
        }
        String name = dir.toAbsolutePath().normalize().getFileName().toString();
        return new BeirDataset(name, split, corpusFile, sha256(corpusFile), List.copyOf(corpus),
                queries, qrels, List.copyOf(warnings));
    }

    private static Path firstExisting(Path dir, String... names) {
        for (String n : names) {
            Path p = dir.resolve(n);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new BadInputException("missing " + String.join(" or ", names) + " in " + dir);
    }

    static List<BeirDocument> readCorpus(Path file) {
        List<BeirDocument> docs = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        forEachJsonLine(file, (line, node) -> {
            String id = requiredText(node, "_id", file, line);
            if (!seen.add(id)) {
                throw new BadInputException(file + " line " + line + ": duplicate _id " + id);
            }
            String title = optionalText(node, "title", file, line);
            String text = optionalText(node, "text", file, line);
            docs.add(new BeirDocument(id, title, text));
        });
        if (docs.isEmpty()) {
            throw new BadInputException(file + ": the corpus is empty");
        }
        return docs;
    }

    static Map<String, String> readQueries(Path file) {
        Map<String, String> queries = new LinkedHashMap<>();
        forEachJsonLine(file, (line, node) -> {
            String id = requiredText(node, "_id", file, line);
            String text = requiredText(node, "text", file, line);
            if (queries.put(id, text) != null) {
                throw new BadInputException(file + " line " + line + ": duplicate _id " + id);
            }
        });
        return queries;
    }

    /** Tab-separated {@code query-id corpus-id score}, header optional; TREC's 4-column form too. */
    static Map<String, Map<String, Integer>> readQrels(Path file) {
        Map<String, Map<String, Integer>> qrels = new LinkedHashMap<>();
        try (BufferedReader r = open(file)) {
            String s;
            int line = 0;
            while ((s = r.readLine()) != null) {
                line++;
                if (s.isBlank()) {
                    continue;
                }
                String[] f = s.strip().split(s.indexOf('\t') >= 0 ? "\t" : "\\s+");
                if (line == 1 && f.length == 3 && !isInteger(f[2].strip())) {
                    continue; // the BEIR header line
                }
                String qid;
                String did;
                String rel;
                if (f.length == 3) {
                    qid = f[0];
                    did = f[1];
                    rel = f[2];
                } else if (f.length == 4) {
                    qid = f[0];
                    did = f[2];
                    rel = f[3];
                } else {
                    throw new BadInputException(file + " line " + line
                            + ": expected 'query-id<TAB>corpus-id<TAB>score', found " + f.length + " field(s)");
                }
                qid = qid.strip();
                did = did.strip();
                if (!isInteger(rel.strip())) {
                    throw new BadInputException(file + " line " + line + ": score '" + rel + "' is not an integer");
                }
                Integer prev = qrels.computeIfAbsent(qid, k -> new LinkedHashMap<>()).put(did, Integer.parseInt(rel.strip()));
                if (prev != null) {
                    throw new BadInputException(file + " line " + line + ": query " + qid + " judges document "
                            + did + " twice");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (qrels.isEmpty()) {
            throw new BadInputException(file + ": no judgements");
        }
        return qrels;
    }

    interface LineHandler {
        void accept(int line, JsonNode node);
    }

    private static void forEachJsonLine(Path file, LineHandler handler) {
        try (BufferedReader r = open(file)) {
            String s;
            int line = 0;
            while ((s = r.readLine()) != null) {
                line++;
                if (s.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = JSON.readTree(s);
                } catch (JacksonException e) {
                    throw new BadInputException(file + " line " + line + ": not valid JSON ("
                            + e.getOriginalMessage() + ")");
                }
                if (node == null || !node.isObject()) {
                    throw new BadInputException(file + " line " + line + ": expected a JSON object");
                }
                handler.accept(line, node);
            }
        } catch (IOException e) {
            throw new BadInputException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static String requiredText(JsonNode node, String field, Path file, int line) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw new BadInputException(file + " line " + line + ": missing \"" + field + "\"");
        }
        if (!v.isString() && !v.isNumber()) {
            throw new BadInputException(file + " line " + line + ": \"" + field + "\" must be a string");
        }
        return v.asString();
    }

    private static String optionalText(JsonNode node, String field, Path file, int line) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return "";
        }
        if (!v.isString()) {
            throw new BadInputException(file + " line " + line + ": \"" + field + "\" must be a string");
        }
        return v.asString();
    }

    private static boolean isInteger(String s) {
        if (s.isEmpty()) {
            return false;
        }
        int start = s.charAt(0) == '-' ? 1 : 0;
        if (start == s.length() || s.length() - start > 9) {
            return false;
        }
        for (int i = start; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    static BufferedReader open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        if (file.getFileName().toString().endsWith(".gz")) {
            in = new GZIPInputStream(in, 1 << 16);
        }
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    }

    static String sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
