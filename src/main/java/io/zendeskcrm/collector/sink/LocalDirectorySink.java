package io.zendeskcrm.collector.sink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.UUID;

/**
 * Writes objects as files under a directory, same layout as the bucket. A file is written whole under
 * a temporary name, then linked to its key: the link fails if the key exists, so a file, once there,
 * is never replaced.
 */
public final class LocalDirectorySink implements RecordSink {
    private final Path root;

    public LocalDirectorySink(Path root) {
        this.root = root;
    }

    @Override
    public boolean create(String key, byte[] content) {
        Path target = root.resolve(key);
        Path tmp = target.resolveSibling(target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            Files.createDirectories(target.getParent());
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(content));
                ch.force(true);
            }
            try {
                Files.createLink(target, tmp);
                return true;
            } catch (FileAlreadyExistsException e) {
                return false;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // The temporary file is not the object; the key is what counts.
            }
        }
    }

    @Override
    public Optional<byte[]> read(String key) {
        try {
            return Optional.of(Files.readAllBytes(root.resolve(key)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + root.resolve(key), e);
        }
    }
}
