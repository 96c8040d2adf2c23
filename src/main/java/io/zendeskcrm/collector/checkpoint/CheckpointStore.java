package io.zendeskcrm.collector.checkpoint;

import java.util.Optional;

/**
 * Durable home of the checkpoint document. Every write is a compare-and-swap against the version
 * last read, so two runs can never silently overwrite each other's progress. S3 and the file store
 * behave the same: a write whose expected version is not the stored one fails, whoever made it.
 */
public interface CheckpointStore {

    /** The stored document and its version, or empty when none exists yet. */
    Optional<Stored> load();

    /** The stored document's version without its content (S3: a HEAD request), or empty when none exists. */
    default Optional<String> version() {
        return load().map(Stored::version);
    }

    /**
     * Replaces the document if its version is still {@code expectedVersion} ({@code null}: only if none
     * exists) and returns the new version.
     *
     * @throws CheckpointConflictException when the stored version is not {@code expectedVersion}
     */
    String commit(byte[] content, String expectedVersion);

    /** Where the checkpoint lives, for messages. */
    String location();

    /**
     * Where parts of the document too large to rewrite with every page are kept; empty for a store that
     * has no place beside the document, which then holds everything itself.
     */
    default Optional<CheckpointParts> parts() {
        return Optional.empty();
    }

    record Stored(byte[] content, String version) {}
}
