package dev.lsr.seismic.io;

import dev.lsr.seismic.InvalidVectorException;
import dev.lsr.seismic.SparseVector;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Anserini's pre-encoded query TSV: {@code id<TAB>tokens}, each token repeated once per unit of
 * its integer-quantised weight. A term's weight is {@code count * scale}; Anserini quantises
 * SPLADE weights by 100, so the default scale 0.01 restores the model's scale. Gzip by name.
 */
public final class AnseriniQueryTsv {
    public static final float DEFAULT_SCALE = 0.01f;

    private AnseriniQueryTsv() {}

    public static List<IdVector> read(Path file, TokenMapper tokens, float scale) throws IOException {
        try (InputStream in = open(file)) {
            return read(in, file.toString(), tokens, scale);
        }
    }

    static InputStream open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        return file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(in, 1 << 16) : in;
    }

    public static List<IdVector> read(InputStream in, String name, TokenMapper tokens, float scale) throws IOException {
        if (!(scale > 0f) || !Float.isFinite(scale)) {
            throw new IllegalArgumentException("weight scale must be finite and > 0, was " + scale);
        }
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        List<IdVector> out = new ArrayList<>();
        String line;
        long lineNo = 0;
        Map<Integer, Integer> counts = new HashMap<>();
        while ((line = r.readLine()) != null) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            int tab = line.indexOf('\t');
            if (tab <= 0) {
                throw MalformedInputException.at(name, lineNo, "expected 'id<TAB>tokens'");
            }
            String id = line.substring(0, tab).trim();
            counts.clear();
            for (String tok : line.substring(tab + 1).trim().split(" +")) {
                if (tok.isEmpty()) {
                    continue;
                }
                int t = tokens.id(tok);
                if (t < 0) {
                    throw MalformedInputException.at(name, lineNo, tokens.describeUnknown(tok));
                }
                counts.merge(t, 1, Integer::sum);
            }
            int[] ids = new int[counts.size()];
            float[] ws = new float[counts.size()];
            int i = 0;
            for (Map.Entry<Integer, Integer> e : counts.entrySet()) {
                ids[i] = e.getKey();
                ws[i++] = e.getValue() * scale;
            }
            try {
                out.add(new IdVector(id, SparseVector.ofUnsorted(ids, ws, tokens.dim())));
            } catch (InvalidVectorException e) {
                throw MalformedInputException.at(name, lineNo, e.getMessage());
            }
        }
        return out;
    }
}
