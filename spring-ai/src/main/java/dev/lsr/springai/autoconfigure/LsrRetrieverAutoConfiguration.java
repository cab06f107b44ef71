package dev.lsr.springai.autoconfigure;

import dev.lsr.client.EmbeddedLsr;
import dev.lsr.client.LsrClient;
import dev.lsr.client.LsrOperations;
import dev.lsr.springai.LsrDocumentRetriever;
import dev.lsr.springai.LsrDocumentWriter;
import org.springframework.ai.rag.retrieval.search.DocumentRetriever;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * With {@code lsr.retriever.collection} set, a {@link DocumentRetriever} over that collection (and an
 * {@link LsrDocumentWriter} into it):
 * remote when {@code lsr.retriever.url} is set (an {@link LsrClient}), embedded over
 * {@code lsr.retriever.data-dir} otherwise (an {@link EmbeddedLsr}, closed with the context; the
 * collection's model is the one it was created with, under {@code data-dir/models}). An application's own {@link LsrOperations} or
 * {@link DocumentRetriever} bean takes precedence.
 */
@AutoConfiguration
@ConditionalOnClass(DocumentRetriever.class)
@ConditionalOnProperty(prefix = "lsr.retriever", name = "collection")
@EnableConfigurationProperties(LsrRetrieverProperties.class)
public class LsrRetrieverAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(LsrOperations.class)
    LsrOperations lsrOperations(LsrRetrieverProperties p) {
        if (p.url() != null) {
            LsrClient.Builder b = LsrClient.builder(p.url()).timeout(p.timeout());
            if (p.apiKey() != null && !p.apiKey().isBlank()) {
                b.apiKey(p.apiKey());
            }
            return b.build();
        }
        if (p.dataDir() != null) {
            return EmbeddedLsr.open(p.dataDir());
        }
        throw new IllegalStateException("lsr.retriever.collection is set but not where the collection lives: set "
                + "lsr.retriever.url (a running lsr serve, e.g. http://localhost:8080) or lsr.retriever.data-dir "
                + "(an lsr data directory opened in this process)");
    }

    /** Where a Spring AI ETL pipeline writes the collection's documents. */
    @Bean
    @ConditionalOnMissingBean(LsrDocumentWriter.class)
    LsrDocumentWriter lsrDocumentWriter(LsrOperations lsr, LsrRetrieverProperties p) {
        return LsrDocumentWriter.builder().lsr(lsr).collection(p.collection()).build();
    }

    @Bean
    @ConditionalOnMissingBean(DocumentRetriever.class)
    LsrDocumentRetriever lsrDocumentRetriever(LsrOperations lsr, LsrRetrieverProperties p) {
        return LsrDocumentRetriever.builder().lsr(lsr).collection(p.collection()).mode(p.mode()).topK(p.topK())
                .minScore(p.minScore()).filterExpression(p.filterExpression()).build();
    }
}
