package io.zendeskcrm.collector.runner;

import io.zendeskcrm.collector.RunSummary;
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
 * {@code -XX:ArchiveClassesAtExit} and {@link #PROPERTY}, and this runs whole passes against a
 * {@link TrainingServer} on the loopback interface: one into a local directory, and two into S3 (the
 * first takes the checkpoint over where there is none, the second where there is one). The classes a
 * real pass loads (Quarkus, the S3 client, the REST client, the job, and what handles their answers)
 * are then in the archive, and a start with {@code -XX:SharedArchiveFile} loads them in a fraction of
 * the time. (Quarkus' own AppCDS option archives only what its static initialisation loads.)
 */
@ApplicationScoped
class ClassDataTraining {
    static final String PROPERTY = "collector.class-data-training";

    @Inject
    Collector collector;

    static boolean requested() {
        return Boolean.getBoolean(PROPERTY);
    }

    void run() {
        System.out.println("class-data archive: three training passes against a local stand-in for Zendesk and S3");
        System.setProperty("aws.accessKeyId", "training");
        System.setProperty("aws.secretAccessKey", "training");
        System.setProperty("aws.region", "us-east-1");
        Path dir;
        try {
            dir = Files.createTempDirectory("class-data-training");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (TrainingServer server = new TrainingServer()) {
            Map<String, String> common = Map.of("ZENDESK_BASE_URL", server.url(), "ZENDESK_EMAIL", "training@example.com",
                    "ZENDESK_API_TOKEN", "training", "HTTP_RETRIES", "0", "RESOURCES", "audit_logs,incremental_tickets,access_logs");
            pass(common, Map.of("OUTPUT_DIR", dir.toString()));
            Map<String, String> s3 = Map.of("S3_BUCKET", "training", "AWS_ENDPOINT_URL_S3", server.url());
            pass(common, s3);
            pass(common, s3);
        } catch (IOException e) {
            System.out.println("class-data archive: no training server (" + e.getMessage() + "); the archive holds less");
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.out.println("class-data archive: training directory " + dir + " left behind: " + e.getMessage());
        }
    }

    private void pass(Map<String, String> common, Map<String, String> destination) {
        try {
            RunSummary summary = collector.run(Settings.load(name -> Optional.ofNullable(destination.getOrDefault(name, common.get(name)))));
            if (!summary.ok()) System.out.println("class-data archive: a training pass failed (" + summary.failures() + "); the archive holds less");
        } catch (RuntimeException e) {
            System.out.println("class-data archive: a training pass failed (" + e + "); the archive holds less");
        }
    }
}
