package dev.lsr.api.config;

import dev.lsr.api.web.ProblemReportValve;
import dev.lsr.api.web.Problems;
import org.apache.catalina.Pipeline;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Makes the errors Tomcat answers itself (before Spring MVC sees the request) RFC 9457 problems
 * too: the host's error report valve becomes a {@link ProblemReportValve}.
 */
@Configuration(proxyBeanMethods = false)
public class ConnectorErrorConfiguration {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReports(Problems problems) {
        return new ProblemErrorReports(problems);
    }

    /**
     * Runs after Spring Boot's own Tomcat customizer (which adds a plain HTML {@link ErrorReportValve}
     * to the host), replaces that valve, and names ours as the host's error report valve so that the
     * host does not add Tomcat's default one when it starts.
     */
    private record ProblemErrorReports(Problems problems) implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

        @Override
        public void customize(TomcatServletWebServerFactory factory) {
            factory.addContextCustomizers(context -> {
                if (context.getParent() instanceof StandardHost host) {
                    Pipeline pipeline = host.getPipeline();
                    for (Valve valve : pipeline.getValves()) {
                        if (valve instanceof ErrorReportValve) {
                            pipeline.removeValve(valve);
                        }
                    }
                    pipeline.addValve(new ProblemReportValve(problems));
                    host.setErrorReportValveClass(ProblemReportValve.class.getName());
                }
            });
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }
    }
}
