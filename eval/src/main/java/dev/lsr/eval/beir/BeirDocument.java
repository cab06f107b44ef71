package dev.lsr.eval.beir;

/** A corpus entry; {@link #fullText()} is what BEIR's sparse baselines encode: title, space, text. */
public record BeirDocument(String id, String title, String text) {

    public String fullText() {
        return title.isEmpty() ? text : text.isEmpty() ? title : title + " " + text;
    }
}
