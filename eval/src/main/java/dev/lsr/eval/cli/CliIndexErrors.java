package dev.lsr.eval.cli;

import dev.lsr.index.CollectionExistsException;
import dev.lsr.index.CollectionLockedException;
import dev.lsr.index.CollectionNotFoundException;
import dev.lsr.index.DamagedSnapshotException;
import dev.lsr.index.IncompatibleCollectionException;
import dev.lsr.index.SnapshotNotFoundException;
import java.util.function.Supplier;

/**
 * The index errors that are the user's input (a path that holds no collection or snapshot, a
 * damaged snapshot, a target that exists, a collection another process holds) as exit code 2 with
 * the index's one-line message, which names the path or file; any other index error stays internal.
 */
final class CliIndexErrors {

    private CliIndexErrors() {}

    static <T> T call(Supplier<T> action) {
        try {
            return action.get();
        } catch (CollectionLockedException e) {
            throw new ExitCodes.BadInputException(e.getMessage()
                    + " (a running 'lsr serve' holds its collections: take the snapshot with POST /collections/{name}/snapshots there)", e);
        } catch (CollectionNotFoundException | IncompatibleCollectionException | CollectionExistsException
                | SnapshotNotFoundException | DamagedSnapshotException e) {
            throw new ExitCodes.BadInputException(e.getMessage(), e);
        }
    }
}
