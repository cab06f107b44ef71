package dev.lsr.api;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The search service that {@code lsr serve} starts. */
@SpringBootApplication
public class LsrApplication {

    public static void main(String[] args) {
        SpringApplication.run(LsrApplication.class, args);
    }
}
