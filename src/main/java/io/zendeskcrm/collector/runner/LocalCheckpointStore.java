package io.zendeskcrm.collector.runner;

import io.zendeskcrm.collector.checkpoint.CheckpointStore;
import io.zendeskcrm.collector.checkpoint.FileCheckpointStore;
import io.zendeskcrm.collector.sink.LocalDirectorySink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The checkpoint (or the OAuth state) as a file under {@code OUTPUT_DIR}: a {@link FileCheckpointStore}
 * whose failures also say why ("cannot write the checkpoint ...: no space left on device (OUTPUT_DIR)").
 */
final class LocalCheckpointStore implements CheckpointStore {
    private final FileCheckpointStore files;

    LocalCheckpointStore(Path file) {
        this.files = new FileCheckpointStore(file);
    }

    @Override
    public Optional<Stored> load() {
        try {
            return files.load();
        } catch (UncheckedIOException e) {
            throw explained(e);
        }
    }

    @Override
    public Optional<String> version() {
        try {
            return files.version();
        } catch (UncheckedIOException e) {
            throw explained(e);
        }
    }

    @Override
    public String commit(byte[] content, String expectedVersion) {
        try {
            return files.commit(content, expectedVersion);
        } catch (UncheckedIOException e) {
            throw explained(e);
        }
    }

    @Override
    public Optional<io.zendeskcrm.collector.checkpoint.CheckpointParts> parts() {
        return files.parts();
    }

    @Override
    public String location() {
        return files.location();
    }

    private static UncheckedIOException explained(UncheckedIOException e) {
        IOException cause = e.getCause();
        return new UncheckedIOException(e.getMessage() + ": " + LocalDirectorySink.why(cause) + " (OUTPUT_DIR)", cause);
    }
}
