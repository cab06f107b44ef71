package dev.lsr.eval.index;

import dev.lsr.eval.cli.ExitCodes.BadInputException;
import dev.lsr.index.Document;
import dev.lsr.seismic.SparseVector;
import dev.lsr.seismic.io.GeneratedCollection;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/** {@code synthetic:N[:seed]} / {@code realistic:N[:seed]} documents (ids "0".."N-1", vectors only) and queries from seismic-blocks' generators. */
final class Synthetic {

    private Synthetic() {}

    private static GeneratedCollection parse(String option, String src, int dim) {
        GeneratedCollection c;
        try {
            c = GeneratedCollection.parse(src);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(option + " " + src + ": " + e.getMessage(), e);
        }
        if (c.dim() > dim) {
            throw new BadInputException(option + " " + src + ": synthetic vectors use " + c.dim()
                    + " terms but the collection's vocabulary has " + dim);
        }
        return c;
    }

    static Iterator<Document> documents(String src, int dim) {
        GeneratedCollection c = parse("--input", src, dim);
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < c.size();
            }

            @Override
            public Document next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int i = next++;
                return new Document(Integer.toString(i), null, null, null, c.document(i));
            }
        };
    }

    static List<SparseVector> queries(String src, int dim) {
        GeneratedCollection c = parse("--queries", src, dim);
        List<SparseVector> out = new ArrayList<>(c.size());
        for (int i = 0; i < c.size(); i++) {
            out.add(c.query(i));
        }
        return out;
    }
}
