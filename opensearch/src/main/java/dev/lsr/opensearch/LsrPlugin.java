package dev.lsr.opensearch;

import dev.lsr.opensearch.codec.LsrCodecService;
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
import org.opensearch.plugins.EnginePlugin;
import org.opensearch.plugins.MapperPlugin;
import org.opensearch.plugins.Plugin;
import org.opensearch.plugins.SearchPlugin;

/**
 * lsr inside OpenSearch: the {@code lsr_sparse_vector} field type, the {@code lsr_sparse} query,
 * and (for indices with {@code index.lsr_sparse: true}) a codec that writes those fields through
 * lsr's doc values format, so every flushed or merged segment carries its Seismic structure and
 * OpenSearch owns shards, replicas and recovery.
 */
public final class LsrPlugin extends Plugin implements MapperPlugin, SearchPlugin, EnginePlugin {

    /**
     * Opt-in per index: a codec service factory is exclusive (one plugin per index), so the
     * plugin claims only the indices that ask for it and leaves others to their own plugins.
     */
    public static final Setting<Boolean> INDEX_LSR_SPARSE =
            Setting.boolSetting("index.lsr_sparse", false, Setting.Property.IndexScope, Setting.Property.Final);

    private final ModelVocabularies vocabularies;

    /** OpenSearch constructs plugins with the node's settings and config directory. */
    public LsrPlugin(Settings settings, Path configPath) {
        this.vocabularies = new ModelVocabularies(configPath);
    }

    @Override
    public List<Setting<?>> getSettings() {
        return List.of(INDEX_LSR_SPARSE);
    }

    @Override
    public Map<String, Mapper.TypeParser> getMappers() {
        return Map.of(LsrSparseVectorFieldMapper.CONTENT_TYPE, LsrSparseVectorFieldMapper.parser(vocabularies));
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
