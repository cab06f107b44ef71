package dev.lsr.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** 400: the request is invalid (a bad field, vector, filter or document); the detail names it. */
public final class BadRequestException extends LsrProblemException {
    private static final long serialVersionUID = 1L;

    BadRequestException(String request, int status, String title, String detail, Map<String, Object> problem) {
        super(request, status, title, detail, problem);
    }

    /**
     * The per-document results of a batch in which every document was refused (the problem's
     * {@code items}, as {@link IndexResult#items()} would have listed them), or empty when the
     * request itself was refused.
     */
    public List<IndexResult.Item> refusedItems() {
        if (!(problem().get("items") instanceof List<?> list)) {
            return List.of();
        }
        List<IndexResult.Item> items = new ArrayList<>(list.size());
        for (Object o : list) {
            if (o instanceof Map<?, ?> m) {
                items.add(new IndexResult.Item(m.get("position") instanceof Number n ? n.intValue() : -1,
                        String.valueOf(m.get("id")), String.valueOf(m.get("status")),
                        m.get("error") == null ? detail() : String.valueOf(m.get("error"))));
            }
        }
        return items;
    }
}
