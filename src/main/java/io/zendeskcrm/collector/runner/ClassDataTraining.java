package io.zendeskcrm.collector.runner;

import io.zendeskcrm.collector.config.Settings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The build's training run for the runner jar's class-data archive: the build starts the jar once with
 * {@code -XX:ArchiveClassesAtExit} and {@link #PROPERTY}, and this runs two passes against nothing, one
 * into a local directory and one into S3, that fail at their first request. The classes a real pass
 * loads (Quarkus, the S3 client, the REST client, the job) are then in the archive, and a start with
 * {@code -XX:SharedArchiveFile} loads them in a fraction of the time. (Quarkus' own AppCDS option
 * archives only what its static initialisation loads.)
 */
@ApplicationScoped
class ClassDataTraining {
    /** Nothing listens there: every request fails at once. */
    private static final String NOWHERE = "http://127.0.0.1:1";

    static final String PROPERTY = "collector.class-data-training";

    @Inject
    Collector collector;

    static boolean requested() {
        return Boolean.getBoolean(PROPERTY);
    }

    void run() {
        System.out.println("class-data archive: two training passes against nothing (failing at their first request)");
        System.setProperty("aws.accessKeyId", "training");
        System.setProperty("aws.secretAccessKey", "training");
        System.setProperty("aws.region", "us-east-1");
        Path dir;
        try {
            dir = Files.createTempDirectory("class-data-training");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> common = Map.of("ZENDESK_BASE_URL", NOWHERE, "ZENDESK_EMAIL", "training@example.com",
                "ZENDESK_API_TOKEN", "training", "HTTP_RETRIES", "0", "RESOURCES", "audit_logs,incremental_tickets,access_logs");
        pass(common, Map.of("OUTPUT_DIR", dir.toString()));
        pass(common, Map.of("S3_BUCKET", "training", "AWS_ENDPOINT_URL_S3", NOWHERE));
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.out.println("class-data archive: training directory " + dir + " left behind: " + e.getMessage());
        }
    }

    private void pass(Map<String, String> common, Map<String, String> destination) {
        try {
            collector.run(Settings.load(name -> Optional.ofNullable(destination.getOrDefault(name, common.get(name)))));
        } catch (RuntimeException expected) {
            // A pass against nothing ends here or in its summary: either way its classes are loaded.
        }
    }
}
