package dev.lsr.api.config;

import org.apache.tomcat.util.buf.EncodedSolidusHandling;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class WebConfiguration {

    /**
     * Tomcat refuses an encoded slash ({@code /collections/..%2Fx}) itself, with an HTML page. Passing
     * it through (still encoded, so it never becomes a path separator) lets the name check answer with
     * a problem body naming the bad collection name.
     */
    @Bean
    TomcatConnectorCustomizer encodedSlashesReachTheApplication() {
        return connector -> connector.setEncodedSolidusHandling(EncodedSolidusHandling.PASS_THROUGH.getValue());
    }
}
