package io.zendeskcrm.collector.support;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real file system for tests of local output on a full disk or a read-only mount: a tmpfs of a few
 * pages mounted on a test's directory, unmounted by {@link #close}. Mounting needs root (CAP_SYS_ADMIN);
 * where it is not allowed, the test is skipped with that reason (it does not pass).
 */
public final class TinyTmpfs implements AutoCloseable {
    public static final int PAGE = 4096;
    private final Path dir;

    private TinyTmpfs(Path dir) {
        this.dir = dir;
    }

    /** Mounts {@code pages} pages of tmpfs on {@code dir} (created if needed), read-only if asked. */
    public static TinyTmpfs mount(Path dir, int pages, boolean readOnly) throws Exception {
        Files.createDirectories(dir);
        String options = "size=" + pages * PAGE + ",mode=0777" + (readOnly ? ",ro" : "");
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", options, "tmpfs", dir.toString())
                .redirectErrorStream(true).start();
        boolean done = p.waitFor(20, TimeUnit.SECONDS);
        String output = new String(p.getInputStream().readAllBytes());
        Assumptions.assumeTrue(done && p.exitValue() == 0,
                "a tmpfs cannot be mounted here (needs root with CAP_SYS_ADMIN): " + output.strip());
        return new TinyTmpfs(dir);
    }

    public Path dir() {
        return dir;
    }

    /** Fills the file system with one file until the kernel answers "no space left", then frees {@code keep} bytes. */
    public void fillLeaving(int keep) throws IOException {
        Path filler = dir.resolve("filler");
        byte[] block = new byte[PAGE];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) out.write(block);
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left")) throw full;
        }
        try (FileChannel ch = FileChannel.open(filler, StandardOpenOption.WRITE)) {
            ch.truncate(Math.max(0, Files.size(filler) / PAGE * PAGE - keep));
        }
    }

    @Override
    public void close() throws Exception {
        new ProcessBuilder("umount", dir.toString()).inheritIO().start().waitFor(20, TimeUnit.SECONDS);
    }
}
