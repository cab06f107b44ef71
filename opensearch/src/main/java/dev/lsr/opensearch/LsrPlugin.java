package dev.lsr.opensearch;

import dev.lsr.opensearch.codec.LsrCodecService;
import dev.lsr.opensearch.encode.ModelEncoders;
import dev.lsr.opensearch.ingest.LsrSparseEncodeProcessor;
import dev.lsr.opensearch.mapper.LsrSparseVectorFieldMapper;
import dev.lsr.opensearch.query.LsrSparseQueryBuilder;
import dev.lsr.opensearch.vocab.ModelVocabularies;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.opensearch.common.settings.Setting;
import org.opensearch.common.settings.Settings;
import org.opensearch.index.IndexSettings;
import org.opensearch.index.codec.CodecServiceFactory;
import org.opensearch.index.mapper.Mapper;
import org.opensearch.ingest.Processor;
import org.opensearch.plugins.EnginePlugin;
import org.opensearch.plugins.IngestPlugin;
import org.opensearch.plugins.MapperPlugin;
import org.opensearch.plugins.Plugin;
import org.opensearch.plugins.SearchPlugin;

/**
 * lsr inside OpenSearch: the {@code lsr_sparse_vector} field type, the {@code lsr_sparse} query,
 * and (for indices with {@code index.lsr_sparse: true}) a codec that writes those fields through
 * lsr's doc values format, so every flushed or merged segment carries its Seismic structure and
 * OpenSearch owns shards, replicas and recovery. With an lsr model directory on the nodes, the
 * {@code lsr_sparse_encode} ingest processor encodes text into such a field and the query takes
 * {@code text}.
 */
public final class LsrPlugin extends Plugin implements MapperPlugin, SearchPlugin, EnginePlugin, IngestPlugin {

    /**
     * Opt-in per index: a codec service factory is exclusive (one plugin per index), so the
     * plugin claims only the indices that ask for it and leaves others to their own plugins.
     */
    public static final Setting<Boolean> INDEX_LSR_SPARSE =
            Setting.boolSetting("index.lsr_sparse", false, Setting.Property.IndexScope, Setting.Property.Final);

    private final ModelVocabularies vocabularies;
    private final ModelEncoders encoders;

    /** OpenSearch constructs plugins with the node's settings and config directory. */
    public LsrPlugin(Settings settings, Path configPath) {
        this.vocabularies = new ModelVocabularies(configPath);
        this.encoders = new ModelEncoders(vocabularies);
    }

    @Override
    public Map<String, Processor.Factory> getProcessors(Processor.Parameters parameters) {
        return Map.of(LsrSparseEncodeProcessor.TYPE, new LsrSparseEncodeProcessor.Factory(encoders));
    }

    @Override
    public void close() {
        encoders.close();
    }

    @Override
    public List<Setting<?>> getSettings() {
        return List.of(INDEX_LSR_SPARSE);
    }

    @Override
    public Map<String, Mapper.TypeParser> getMappers() {
        return Map.of(LsrSparseVectorFieldMapper.CONTENT_TYPE, LsrSparseVectorFieldMapper.parser(vocabularies, encoders));
    }

    @Override
    public List<QuerySpec<?>> getQueries() {
        return List.of(new QuerySpec<>(LsrSparseQueryBuilder.NAME, LsrSparseQueryBuilder::new,
                LsrSparseQueryBuilder::fromXContent));
    }

    @Override
    public Optional<CodecServiceFactory> getCustomCodecServiceFactory(IndexSettings indexSettings) {
        if (!INDEX_LSR_SPARSE.get(indexSettings.getSettings())) {
            return Optional.empty();
        }
        return Optional.of(config -> new LsrCodecService(config));
    }
}
