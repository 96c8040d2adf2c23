package io.zendeskcrm.collector.support;

import io.zendeskcrm.collector.checkpoint.CheckpointStore;
import java.util.Optional;

/**
 * A checkpoint store through which another writer acts at the worst moment: right after this store's
 * first read, before the reader can write (the reader then holds a stale version).
 */
public final class RacingStore implements CheckpointStore {
    private final CheckpointStore store;
    private Runnable meanwhile;

    public RacingStore(CheckpointStore store, Runnable meanwhile) {
        this.store = store;
        this.meanwhile = meanwhile;
    }

    @Override
    public Optional<Stored> load() {
        Optional<Stored> read = store.load();
        Runnable once = meanwhile;
        meanwhile = null;
        if (once != null) once.run();
        return read;
    }

    @Override
    public String commit(byte[] content, String expectedVersion) {
        return store.commit(content, expectedVersion);
    }

    @Override
    public String location() {
        return store.location();
    }
}
