package dev.lsr.springai.autoconfigure;

import dev.lsr.client.SearchMode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code lsr.retriever.*}: which collection the auto-configured {@code DocumentRetriever} searches,
 * how, and where it lives.
 *
 * @param collection the collection to search (setting it turns the auto-configuration on)
 * @param mode approximate, exact, bm25 or hybrid; unset (the default): the collection's recommended search
 *     (hybrid for the default zero-shot model, approximate for a model without recommendations)
 * @param topK documents per query (default 4)
 * @param minScore drop hits scoring below this (the mode's scale); default none
 * @param filterExpression a Spring AI filter expression applied when a query brings none, e.g. {@code lang == 'en'}
 * @param url a running {@code lsr serve}, e.g. {@code http://localhost:8080} (remote mode)
 * @param apiKey the service's API key, when it has one
 * @param timeout per-request timeout of the remote client (default 60 s)
 * @param dataDir an lsr data directory opened in this process (embedded mode, when no url is given)
 */
@ConfigurationProperties("lsr.retriever")
public record LsrRetrieverProperties(
        String collection,
        SearchMode mode,
        @DefaultValue("4") int topK,
        Double minScore,
        String filterExpression,
        URI url,
        String apiKey,
        @DefaultValue("60s") Duration timeout,
        Path dataDir) {}
