package dev.lsr.api.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.lsr.api.config.LsrProperties;
import dev.lsr.api.schema.TokenWeights;
import dev.lsr.api.web.ApiException;
import dev.lsr.encoder.EncodedText;
import dev.lsr.encoder.SparseEncoder;
import dev.lsr.engine.Engine;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/** {@code POST /encode}: texts to sparse vectors with a model (the default one unless named). */
@Service
public final class EncodeService {

    private final Engine engine;
    private final LsrProperties properties;
    private final MeterRegistry meters;

    public EncodeService(Engine engine, LsrProperties properties, MeterRegistry meters) {
        this.engine = engine;
        this.properties = properties;
        this.meters = meters;
    }

    /**
     * @param texts what to encode
     * @param kind query (default) or document: documents get the document pruning, queries the query one
     * @param model an imported model's name; default: {@code lsr.default-model}
     */
    @Schema(name = "EncodeRequest")
    public record Body(List<String> texts, @Schema(allowableValues = {"query", "document"}) String kind, String model) {}

    /** One vector per text, {@code {"token": weight}} heaviest first, with the text's word pieces. */
    @Schema(name = "EncodedText")
    public record Encoded(@Schema(implementation = TokenWeights.class) Object vector, List<String> tokens, boolean truncated) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "EncodeResponse")
    public record Result(String model, String kind, List<Encoded> vectors) {}

    public Result encode(Body body) {
        if (body.texts() == null || body.texts().isEmpty()) {
            throw ApiException.badRequest("'texts' must be a non-empty array of strings");
        }
        int max = properties.limits().maxBatch();
        if (body.texts().size() > max) {
            throw ApiException.limit(HttpStatus.CONTENT_TOO_LARGE, "lsr.limits.max-batch", max,
                    "'texts' has " + body.texts().size() + " entries, above the limit of " + max + " (lsr.limits.max-batch)");
        }
        for (int i = 0; i < body.texts().size(); i++) {
            String t = body.texts().get(i);
            if (t == null) {
                throw ApiException.badRequest("'texts[" + i + "]' is null");
            }
        }
        String kind = body.kind() == null ? "query" : body.kind().toLowerCase(Locale.ROOT);
        if (!kind.equals("query") && !kind.equals("document")) {
            throw ApiException.badRequest("'kind' must be query or document, was '" + body.kind() + "'");
        }
        String model = body.model();
        if (model == null) {
            if (!properties.hasDefaultModel()) {
                throw ApiException.badRequest("no default model is configured (lsr.default-model); name one in 'model'");
            }
            model = engine.defaultModel();
        } else {
            model = engine.models().resolve(model);
        }
        SparseEncoder encoder = engine.models().get(model);
        Timer.Sample sample = Timer.start(meters);
        List<EncodedText> encoded;
        if (kind.equals("document")) {
            encoded = encoder.encodeDocuments(body.texts());
        } else {
            encoded = new ArrayList<>(body.texts().size());
            for (String t : body.texts()) {
                encoded.add(encoder.encodeQuery(t));
            }
        }
        sample.stop(Timer.builder("lsr.encode").description("time to encode texts with a model")
                .tag("kind", kind).publishPercentileHistogram().register(meters));
        List<Encoded> out = new ArrayList<>(encoded.size());
        for (EncodedText e : encoded) {
            out.add(new Encoded(VectorJson.write(e.vector(), encoder.vocabulary()), e.tokens(), e.truncated()));
        }
        return new Result(model, kind, out);
    }
}
