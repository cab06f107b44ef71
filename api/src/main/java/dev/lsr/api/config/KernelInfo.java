package dev.lsr.api.config;

import java.util.Map;
import jdk.incubator.vector.FloatVector;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/info}'s {@code lsr} section: the float vector width the head and scoring kernels
 * run at on this CPU and the cores the JVM sees, the two facts that explain most differences
 * between one machine's timings and another's.
 */
@Component
public final class KernelInfo implements InfoContributor {

    @Override
    public void contribute(Info.Builder builder) {
        builder.withDetail("lsr", Map.of(
                "vector_bits", FloatVector.SPECIES_PREFERRED.vectorBitSize(),
                "cores", Runtime.getRuntime().availableProcessors()));
    }
}
