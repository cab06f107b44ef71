package dev.lsr.api.service;

import dev.lsr.api.config.LsrProperties;
import dev.lsr.api.web.ApiException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/**
 * Bounds the searches and {@code /encode} calls running at once ({@code lsr.limits.max-concurrent-searches}).
 * A request beyond the bound is refused at once with a 429 rather than queued: a client told to back
 * off costs nothing, while queued requests would hold Tomcat threads and memory and all finish late.
 */
@Component
public final class SearchSlots {

    static final String LIMIT = "lsr.limits.max-concurrent-searches";

    private final Semaphore slots;
    private final int max;
    private final long retryAfterSeconds;
    private final Counter rejected;

    public SearchSlots(LsrProperties properties, MeterRegistry meters) {
        this.max = Math.max(1, properties.limits().maxConcurrentSearches());
        this.slots = new Semaphore(max);
        this.retryAfterSeconds = Math.max(1, properties.limits().retryAfterSeconds());
        this.rejected = meters.counter("lsr.rejections", "limit", LIMIT);
        Gauge.builder("lsr.searches.active", slots, s -> max - s.availablePermits())
                .description("searches and /encode calls running now").register(meters);
    }

    /** Runs {@code work} in a slot, or refuses with a 429 naming the limit when every slot is taken. */
    public <T> T run(Supplier<T> work) {
        if (!slots.tryAcquire()) {
            rejected.increment();
            throw ApiException.tooMany(LIMIT, max, retryAfterSeconds, "too many searches at once: " + max
                    + " are running (" + LIMIT + "); retry after " + retryAfterSeconds + " s");
        }
        try {
            return work.get();
        } finally {
            slots.release();
        }
    }
}
