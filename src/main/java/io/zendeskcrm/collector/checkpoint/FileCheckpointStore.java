package io.zendeskcrm.collector.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The checkpoint as a local file. The version is the content's SHA-256; a compare-and-swap holds an
 * OS file lock and replaces the file by an atomic rename, so a crash leaves the old or the new file.
 */
public final class FileCheckpointStore implements CheckpointStore {
    private static final Map<Path, Object> IN_PROCESS = new ConcurrentHashMap<>();
    private final Path file;

    public FileCheckpointStore(Path file) {
        this.file = file;
    }

    @Override
    public Optional<Stored> load() {
        try {
            byte[] content = Files.readAllBytes(file);
            return Optional.of(new Stored(content, sha256(content)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the checkpoint " + file, e);
        }
    }

    @Override
    public String commit(byte[] content, String expectedVersion) {
        // The OS lock excludes other processes; within this one, a JVM refuses a second lock on the same
        // file (OverlappingFileLockException), so its threads queue on a monitor per file first.
        synchronized (IN_PROCESS.computeIfAbsent(file.toAbsolutePath().normalize(), f -> new Object())) {
            try {
                Files.createDirectories(file.getParent());
                Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
                try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                     FileLock ignored = ch.lock()) {
                    return replace(content, expectedVersion);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the checkpoint " + file, e);
            }
        }
    }

    /** Under the lock: compare, then write a temporary file and rename it over the checkpoint. */
    private String replace(byte[] content, String expectedVersion) throws IOException {
        String current = load().map(Stored::version).orElse(null);
        if (!Objects.equals(current, expectedVersion)) throw new CheckpointConflictException(location());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.write(tmp, content);
            try (FileChannel sync = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                sync.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // A full disk or a read-only directory: the checkpoint stays as it was, and no half file is left.
            Files.deleteIfExists(tmp);
            throw e;
        }
        return sha256(content);
    }

    @Override
    public String location() {
        return file.toString();
    }

    @Override
    public Optional<CheckpointParts> parts() {
        return Optional.of(new Parts());
    }

    /** Parts as files under {@code file.d/}, each written whole under a temporary name and linked to its own. */
    private final class Parts implements CheckpointParts {
        @Override
        public boolean create(String name, byte[] content) {
            Path part = path(name);
            Path tmp = part.resolveSibling(part.getFileName() + "." + java.util.UUID.randomUUID() + ".tmp");
            try {
                Files.createDirectories(part.getParent());
                Files.write(tmp, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                try (FileChannel sync = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                    sync.force(true);
                }
                Files.createLink(part, tmp);
                return true;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                return false;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + part, e);
            } finally {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // The temporary file is not the part; its name is what counts.
                }
            }
        }

        @Override
        public Optional<byte[]> read(String name) {
            try {
                return Optional.of(Files.readAllBytes(path(name)));
            } catch (NoSuchFileException e) {
                return Optional.empty();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + path(name), e);
            }
        }

        @Override
        public void delete(String name) {
            try {
                Files.deleteIfExists(path(name));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + path(name), e);
            }
        }

        @Override
        public String location(String name) {
            return path(name).toString();
        }

        private Path path(String name) {
            return file.resolveSibling(file.getFileName() + ".d").resolve(name);
        }
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
