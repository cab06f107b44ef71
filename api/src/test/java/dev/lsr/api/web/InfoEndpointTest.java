package dev.lsr.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lsr.api.ApiTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code /actuator/info} names the build an operator runs, its JVM and the kernels' vector width. */
class InfoEndpointTest extends ApiTestBase {

    @Test
    void namesTheBuildTheJvmAndTheVectorWidth() throws Exception {
        Matcher m = Pattern.compile("<parent>.*?<version>([^<]+)</version>", Pattern.DOTALL)
                .matcher(Files.readString(Path.of("pom.xml")));
        assertThat(m.find()).isTrue();
        JsonNode info = get("/actuator/info").ok(200).json();
        assertThat(info.path("build").path("version").asString()).isEqualTo(m.group(1));
        assertThat(info.path("build").path("artifact").asString()).isEqualTo("lsr-api");
        assertThat(info.path("java").path("version").asString()).isEqualTo(System.getProperty("java.version"));
        assertThat(info.path("os").path("arch").asString()).isEqualTo(System.getProperty("os.arch"));
        assertThat(info.path("lsr").path("vector_bits").asInt()).isEqualTo(FloatVector.SPECIES_PREFERRED.vectorBitSize());
        assertThat(info.path("lsr").path("cores").asInt()).isEqualTo(Runtime.getRuntime().availableProcessors());
    }
}
