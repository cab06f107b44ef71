package dev.lsr.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LsrApplicationArgsTest {

    @Test
    void launcherOptionsBecomeSpringProperties() {
        assertThat(LsrApplication.springArgs(new String[] {"--port", "9090", "--data", "/srv/lsr", "--lsr.api-key=k"}))
                .containsExactly("--server.port=9090", "--lsr.data-dir=/srv/lsr", "--lsr.api-key=k");
        assertThat(LsrApplication.springArgs(new String[] {"--port=1", "--data=d"}))
                .containsExactly("--server.port=1", "--lsr.data-dir=d");
    }
}
