package dev.lsr.opensearch.codec;

import dev.lsr.index.codec.SparseBuildConfig;
import dev.lsr.opensearch.mapper.LsrSparseVectorFieldMapper;
import java.util.function.Function;
import org.opensearch.index.mapper.MappedFieldType;
import org.opensearch.index.mapper.MapperService;

/** Looks a field up in the index's current mapping: its build settings if it is an lsr_sparse_vector, else null. */
record MappedSparseFields(MapperService mapperService) implements Function<String, SparseBuildConfig> {

    @Override
    public SparseBuildConfig apply(String field) {
        MappedFieldType type = mapperService.fieldType(field);
        return type instanceof LsrSparseVectorFieldMapper.FieldType f ? f.buildConfig() : null;
    }
}
