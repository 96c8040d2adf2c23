package io.zendeskcrm.collector.runner;

import io.zendeskcrm.collector.config.Settings;
import io.zendeskcrm.collector.config.SettingsException;
import io.zendeskcrm.collector.support.TinyTmpfs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What is checked before any request: where S3 is, and whether OUTPUT_DIR can be written. */
class PreflightTest {
    private static final AwsRegionProvider NO_PROFILE = () -> {
        throw SdkClientException.create("no profile");
    };

    private static Settings s3(String... more) {
        Map<String, String> env = new java.util.HashMap<>(Map.of("S3_BUCKET", "zendesk-logs", "ZENDESK_BASE_URL",
                "https://acme.zendesk.com", "ZENDESK_EMAIL", "a@acme.com", "ZENDESK_API_TOKEN", "t"));
        for (int i = 0; i < more.length; i += 2) env.put(more[i], more[i + 1]);
        return Settings.load(name -> Optional.ofNullable(env.get(name)));
    }

    private static Function<String, Optional<String>> env(String... pairs) {
        Map<String, String> env = new java.util.HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) env.put(pairs[i], pairs[i + 1]);
        return name -> Optional.ofNullable(env.get(name));
    }

    /** Regression: S3 mode without AWS_REGION ended in a 35-line SdkClientException stack trace. */
    @Test
    void withoutARegionS3IsRefusedNamingAwsRegion() {
        SettingsException e = assertThrows(SettingsException.class, () -> Preflight.s3Region(s3(), env(), NO_PROFILE));

        assertEquals("AWS_REGION is required to write to S3 (S3_BUCKET zendesk-logs): set it to the bucket's region, such as"
                + " AWS_REGION=us-east-1 (AWS_DEFAULT_REGION or a region in the AWS profile also do), or set OUTPUT_DIR to write"
                + " to a local directory", e.getMessage());
    }

    @Test
    void theRegionComesFromAwsRegionThenAwsDefaultRegionThenTheProfile() {
        AwsRegionProvider profile = () -> Region.AP_SOUTHEAST_2;
        assertEquals(Region.EU_WEST_1, Preflight.s3Region(s3(), env("AWS_REGION", "eu-west-1", "AWS_DEFAULT_REGION", "us-west-2"), profile));
        assertEquals(Region.EU_CENTRAL_1, Preflight.s3Region(s3(), env("aws.region", "eu-central-1"), profile));
        assertEquals(Region.US_WEST_2, Preflight.s3Region(s3(), env("AWS_DEFAULT_REGION", " us-west-2 "), profile),
                "the AWS CLI's variable, which the Java SDK ignores");
        assertEquals(Region.AP_SOUTHEAST_2, Preflight.s3Region(s3(), env("AWS_REGION", " "), profile));
    }

    @Test
    void anS3CompatibleEndpointNeedsNoRegion() {
        assertEquals(Region.US_EAST_1, Preflight.s3Region(s3("AWS_ENDPOINT_URL_S3", "http://localhost:9000"), env(), NO_PROFILE));
        assertEquals(Region.EU_WEST_1, Preflight.s3Region(s3("AWS_ENDPOINT_URL_S3", "http://localhost:9000"),
                env("AWS_REGION", "eu-west-1"), NO_PROFILE));
    }

    @Test
    void anOutputDirIsCreatedWhenMissing(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("a/b/out");

        Preflight.checkOutputDir(dir);

        assertTrue(Files.isDirectory(dir));
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(0, left.count(), "the write check leaves nothing behind");
        }
    }

    @Test
    void aFileInsteadOfADirectoryIsRefused(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("out"), "x");

        assertEquals("OUTPUT_DIR (" + file + ") is not a directory: a file of that name exists",
                assertThrows(SettingsException.class, () -> Preflight.checkOutputDir(file)).getMessage());
        assertEquals("OUTPUT_DIR (" + file.resolve("sub") + ") cannot be created: a part of the path is a file, not a directory",
                assertThrows(SettingsException.class, () -> Preflight.checkOutputDir(file.resolve("sub"))).getMessage());
    }

    @Test
    void aReadOnlyOutputDirIsRefused(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("ro");
        if (isRoot()) {
            // Root writes through permissions: only a read-only mount stops it.
            try (TinyTmpfs ro = TinyTmpfs.mount(dir, 4, true)) {
                assertEquals("OUTPUT_DIR (" + dir + ") cannot be written: read-only file system",
                        assertThrows(SettingsException.class, () -> Preflight.checkOutputDir(dir)).getMessage());
                assertEquals("OUTPUT_DIR (" + dir.resolve("new") + ") cannot be created: read-only file system",
                        assertThrows(SettingsException.class, () -> Preflight.checkOutputDir(dir.resolve("new"))).getMessage());
            }
        } else {
            Files.createDirectories(dir);
            assertTrue(dir.toFile().setWritable(false, false));
            assertEquals("OUTPUT_DIR (" + dir + ") cannot be written: permission denied",
                    assertThrows(SettingsException.class, () -> Preflight.checkOutputDir(dir)).getMessage());
        }
    }

    @Test
    void aFullDiskIsRefusedUpFront(@TempDir Path tmp) throws Exception {
        try (TinyTmpfs disk = TinyTmpfs.mount(tmp.resolve("full"), 8, false)) {
            disk.fillLeaving(0);

            assertEquals("OUTPUT_DIR (" + disk.dir() + ") cannot be written: no space left on device",
                    assertThrows(SettingsException.class, () -> Preflight.checkOutputDir(disk.dir())).getMessage());
            try (Stream<Path> left = Files.list(disk.dir())) {
                assertEquals(java.util.List.of(disk.dir().resolve("filler")), left.toList(), "no temporary file left");
            }
        }
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
