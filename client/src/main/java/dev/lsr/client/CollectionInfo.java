package dev.lsr.client;

import java.util.Map;

/** A collection's settings (as {@code collection.json} holds them) and a stats snapshot. */
public record CollectionInfo(String name, Map<String, Object> settings, CollectionStats stats) {

    /** The model the collection encodes text with, or null when it takes vectors only. */
    public String model() {
        return stats.model();
    }
}
