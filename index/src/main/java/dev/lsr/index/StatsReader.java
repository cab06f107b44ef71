package dev.lsr.index;

import dev.lsr.index.codec.SparseBinaryDocValues;
import dev.lsr.index.settings.CollectionSettings;
import dev.lsr.index.write.Fields;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.store.Directory;

/** A collection's {@link CollectionStats}: counts from the reader, bytes from the directory. */
final class StatsReader {

    private StatsReader() {}

    static CollectionStats of(String name, CollectionSettings settings, IndexReader reader, Directory directory)
            throws IOException {
        int seismic = 0;
        for (LeafReaderContext leaf : reader.leaves()) {
            if (leaf.reader().getBinaryDocValues(Fields.VECTOR) instanceof SparseBinaryDocValues s
                    && s.segment().hasStructure()) {
                seismic++;
            }
        }
        int pending = StructureBuilds.pendingSegments(reader, settings.exactSegmentMaxDocs()).size();
        long bytes = 0;
        for (String file : directory.listAll()) {
            try {
                bytes += directory.fileLength(file);
            } catch (NoSuchFileException e) {
                // Deleted by a merge while we listed: not part of the index any more.
            }
        }
        return new CollectionStats(name, settings.model(), settings.dim(), reader.numDocs(),
                reader.numDeletedDocs(), reader.leaves().size(), seismic, bytes, pending);
    }
}
