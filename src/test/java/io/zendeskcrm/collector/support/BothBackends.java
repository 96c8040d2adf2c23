package io.zendeskcrm.collector.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * For tests that must hold on both backends, a real S3 server and the local file system: a fresh empty
 * bucket on one S3Proxy shared by the test run, or a fresh temporary directory.
 */
public final class BothBackends {
    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static S3Server server;

    private BothBackends() {}

    public static synchronized S3Client s3() {
        if (server == null) {
            try {
                server = new S3Server();
            } catch (Exception e) {
                throw new IllegalStateException("S3Proxy did not start", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close();
                } catch (Exception ignored) {
                    // The JVM is ending anyway.
                }
            }));
        }
        return server.client();
    }

    /** A new, empty bucket named {@code prefix-n}. */
    public static String newBucket(String prefix) {
        String name = prefix + "-" + BUCKETS.incrementAndGet();
        new Bucket(s3(), name).empty();
        return name;
    }

    public static Path newDirectory(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
