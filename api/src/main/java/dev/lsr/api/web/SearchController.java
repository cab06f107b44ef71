package dev.lsr.api.web;

import dev.lsr.api.service.EncodeService;
import dev.lsr.api.service.SearchBody;
import dev.lsr.api.service.SearchService;
import dev.lsr.api.service.SearchSlots;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "search")
public final class SearchController {

    private final SearchService search;
    private final EncodeService encode;
    private final SearchSlots slots;

    public SearchController(SearchService search, EncodeService encode, SearchSlots slots) {
        this.search = search;
        this.encode = encode;
        this.slots = slots;
    }

    @PostMapping("/collections/{name}/search")
    @Operation(summary = "Search a collection",
            description = "{query | vector, k, mode: approximate|exact|bm25|hybrid, filter, params, explain}. "
                    + "With explain: per-term contributions per hit and the query's terms (expansion terms marked).")
    public SearchService.Result search(@PathVariable String name, @RequestBody SearchBody body) {
        return slots.run(() -> search.search(name, body));
    }

    @PostMapping("/encode")
    @Operation(summary = "Encode texts into sparse vectors", description = "{texts: [...], kind: query|document, model?}")
    public EncodeService.Result encode(@RequestBody EncodeService.Body body) {
        return slots.run(() -> encode.encode(body));
    }
}
