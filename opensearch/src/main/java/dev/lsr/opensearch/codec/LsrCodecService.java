package dev.lsr.opensearch.codec;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.lucene.codecs.Codec;
import org.opensearch.index.codec.CodecService;
import org.opensearch.index.codec.CodecServiceConfig;
import org.opensearch.index.mapper.MapperService;

/**
 * OpenSearch's codec service with every codec it offers ({@code default}, {@code best_compression},
 * ...) wrapped so that {@code lsr_sparse_vector} fields go through lsr's doc values format.
 */
public final class LsrCodecService extends CodecService {

    private final MapperService mapperService;
    private final ConcurrentMap<String, Codec> wrapped = new ConcurrentHashMap<>();

    public LsrCodecService(CodecServiceConfig config) {
        super(config.getMapperService(), config.getIndexSettings(), config.getLogger(), config.getAdditionalCodecs());
        this.mapperService = config.getMapperService();
    }

    @Override
    public Codec codec(String name) {
        Codec engineCodec = super.codec(name);
        if (mapperService == null) {
            // No mappings to consult (e.g. a codec name validated before the index exists).
            return engineCodec;
        }
        return wrapped.computeIfAbsent(name, n -> new LsrOpenSearchCodec(engineCodec, new MappedSparseFields(mapperService)));
    }
}
