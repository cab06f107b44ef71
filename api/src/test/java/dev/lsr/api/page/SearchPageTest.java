package dev.lsr.api.page;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lsr.api.ApiTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The search page in headless Chromium against the running server: picks a collection, types a
 * query, presses Enter, checks the ranked results (highlighted terms, contribution bars, query
 * terms) and saves a screenshot to {@code target/search-page.png}.
 */
class SearchPageTest extends ApiTestBase {

    private static final String QUERY = "sparse retrieval of documents with terms";

    @Test
    void typeAQueryAndSeeRankedExplainedResults() throws Exception {
        assumeTinyModel();
        Optional<Path> chromium = HeadlessChromium.binary();
        if (chromium.isEmpty()) {
            System.out.println("SKIPPED: no chromium at /usr/bin/chromium (install Debian's chromium, or set LSR_CHROMIUM)");
        }
        Assumptions.assumeTrue(chromium.isPresent(), "needs chromium");

        put("/collections/page", null).ok(201);
        // The tiny model is random, so documents are written to match the query: each holds a few of
        // the whole-word terms the model gives the query, in its text and (as given) in its vector.
        // The terms a hit shares with the query are then words of its text, which the page must highlight.
        JsonNode encoded = post("/encode", Map.of("texts", List.of(QUERY))).ok(200).json().get("vectors").get(0).get("vector");
        List<String> words = new ArrayList<>();
        encoded.propertyNames().stream().filter(w -> w.matches("[a-z]{3,}")).forEach(words::add);
        assertThat(words).hasSizeGreaterThanOrEqualTo(12);
        List<Map<String, Object>> docs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            List<String> own = words.subList(2 * i, 2 * i + 3);
            Map<String, Double> vector = new LinkedHashMap<>();
            own.forEach(w -> vector.put(w, 1.0));
            vector.put("unrelated", 0.5);
            String text = "A note on " + String.join(" and ", own) + ", unrelated to other documents.";
            docs.add(Map.of("id", "p" + i, "title", "Page doc " + i, "text", text, "vector", vector));
        }
        assertThat(post("/collections/page/documents?refresh=true", docs).ok(200).json().get("indexed").intValue()).isEqualTo(5);

        try (HeadlessChromium browser = new HeadlessChromium(chromium.get(), 1200, 900)) {
            browser.navigate("http://localhost:" + port + "/?collection=page");
            browser.waitFor("document.readyState === 'complete' && document.querySelector('#collection option[value=page]')",
                    Duration.ofSeconds(30));
            browser.eval("document.getElementById('collection').value = 'page'");
            browser.eval("document.getElementById('query').focus()");
            browser.type(QUERY);
            browser.pressEnter();
            browser.waitFor("document.body.dataset.state", Duration.ofSeconds(60));
            assertThat(browser.eval("document.body.dataset.state").asString())
                    .as("status: %s", browser.eval("document.getElementById('status').textContent")).isEqualTo("done");

            int hits = browser.eval("document.querySelectorAll('#results .hit').length").intValue();
            assertThat(hits).isPositive();
            assertThat(browser.eval("document.getElementById('status').textContent").asString()).contains(hits + " result");
            // The page shows the ranking the API returns.
            JsonNode api = post("/collections/page/search", Map.of("query", QUERY, "k", 10,
                    "explain", true)).ok(200).json();
            assertThat(hits).isEqualTo(api.get("hits").size());
            assertThat(browser.eval("document.querySelector('#results .hit').dataset.id").asString())
                    .isEqualTo(api.get("hits").get(0).get("id").stringValue());
            // Bars for the top contributing terms, labelled with the API's tokens, widest first.
            JsonNode labels = browser.eval("[...document.querySelectorAll('#results .hit:first-child .bar-row .label')].map(e => e.textContent)");
            JsonNode explanation = api.get("hits").get(0).get("explanation");
            assertThat(labels.size()).isEqualTo(Math.min(8, explanation.size())).isPositive();
            assertThat(labels.get(0).asString()).isEqualTo(explanation.get(0).get("token").stringValue());
            JsonNode widths = browser.eval("[...document.querySelectorAll('#results .hit:first-child .bar')].map(e => parseFloat(e.style.width))");
            assertThat(widths.get(0).doubleValue()).isEqualTo(100.0);
            // Matched terms highlighted in the text: every <mark> is one of the hit's contributing words.
            JsonNode marks = browser.eval("[...document.querySelectorAll('#results .hit:first-child .text mark')].map(e => e.textContent)");
            assertThat(marks.size()).isPositive();
            List<String> tokens = new ArrayList<>();
            explanation.forEach(t -> tokens.add(t.get("token").stringValue()));
            marks.forEach(m -> assertThat(tokens).contains(m.asString().toLowerCase(Locale.ROOT)));
            // The query's terms, expansion terms marked.
            int terms = browser.eval("document.querySelectorAll('#terms .term').length").intValue();
            assertThat(terms).isPositive();
            assertThat(browser.eval("document.getElementById('expansion').hidden").asBoolean()).isFalse();

            // BM25: no sparse terms to chart; the query's own words are highlighted instead.
            browser.eval("document.getElementById('mode').value = 'bm25'; delete document.body.dataset.state");
            browser.eval("document.getElementById('search-form').requestSubmit()");
            browser.waitFor("document.body.dataset.state", Duration.ofSeconds(60));
            assertThat(browser.eval("document.getElementById('status').textContent").asString()).contains("(bm25)");
            JsonNode bm25 = post("/collections/page/search", Map.of("query", QUERY, "k", 10, "mode", "bm25")).ok(200).json();
            assertThat(browser.eval("document.querySelectorAll('#results .hit').length").intValue()).isEqualTo(bm25.get("hits").size());
            JsonNode bm25Marks = browser.eval("[...document.querySelectorAll('#results .hit:first-child mark')].map(e => e.textContent.toLowerCase())");
            assertThat(bm25Marks.size()).isPositive();
            bm25Marks.forEach(m -> assertThat(QUERY.split(" ")).anyMatch(w -> m.asString().startsWith(w)));
            assertThat(browser.eval("document.querySelector('#results .hit:first-child .chart h4').textContent").asString())
                    .contains("No shared terms");
            browser.eval("document.getElementById('mode').value = 'approximate'; delete document.body.dataset.state");
            browser.eval("document.getElementById('search-form').requestSubmit()");
            browser.waitFor("document.body.dataset.state", Duration.ofSeconds(60));

            Path shot = Path.of("target", "search-page.png");
            browser.screenshot(shot);
            assertThat(Files.size(shot)).isGreaterThan(10_000);
            System.out.println("search page screenshot: " + shot.toAbsolutePath());
        } finally {
            delete("/collections/page").ok(204);
        }
    }
}
