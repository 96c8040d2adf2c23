package io.zendeskcrm.collector.sink;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * Writes objects as files under a directory, same layout as the bucket. A file is written whole under
 * a temporary name, then linked to its key: the link fails if the key exists, so a file, once there,
 * is never replaced. A failed write (a full disk, say) deletes its temporary file and says why.
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
                // One write may take only part of the buffer (on a nearly full disk, all that fits); the next
                // then fails with the reason. Stopping after the first would link a truncated object.
                java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) ch.write(buffer);
                ch.force(true);
            }
            try {
                Files.createLink(target, tmp);
                return true;
            } catch (FileAlreadyExistsException e) {
                return false;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + why(e) + " (OUTPUT_DIR)", e);
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
            throw new UncheckedIOException("cannot read " + root.resolve(key) + ": " + why(e) + " (OUTPUT_DIR)", e);
        }
    }

    @Override
    public Optional<InputStream> open(String key) {
        try {
            return Optional.of(Files.newInputStream(root.resolve(key)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + root.resolve(key) + ": " + why(e) + " (OUTPUT_DIR)", e);
        }
    }

    @Override
    public List<String> list(String folder) {
        Path dir = root.resolve(folder);
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        try (var entries = Files.list(dir)) {
            entries.forEach(p -> {
                String name = p.getFileName().toString();
                if (Files.isDirectory(p)) out.add(folder + name + "/");
                else if (!name.endsWith(".tmp")) out.add(folder + name); // a write in progress is not an object
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + why(e) + " (OUTPUT_DIR)", e);
        }
        out.sort(null);
        return out;
    }

    /**
     * Why a file operation failed, in a few words: {@code no space left on device}, {@code read-only file
     * system}, {@code permission denied}, a file in the way, or the exception's own reason.
     */
    public static String why(IOException e) {
        String reason = e instanceof FileSystemException fs && fs.getReason() != null ? fs.getReason() : e.getMessage();
        String lower = reason == null ? "" : reason.toLowerCase(Locale.ROOT);
        if (lower.contains("no space left")) return "no space left on device";
        if (lower.contains("disk quota")) return "disk quota exceeded";
        if (lower.contains("read-only file system")) return "read-only file system";
        if (e instanceof AccessDeniedException || lower.contains("permission denied")) return "permission denied";
        if (e instanceof NotDirectoryException || lower.contains("not a directory")) return "a part of the path is a file, not a directory";
        if (e instanceof FileAlreadyExistsException exists) return "a file is in the way (" + exists.getFile() + ")";
        return e.getClass().getSimpleName() + (reason != null ? ": " + reason : "");
    }
}
