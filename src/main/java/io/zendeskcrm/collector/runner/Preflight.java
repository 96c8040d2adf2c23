package io.zendeskcrm.collector.runner;

import io.zendeskcrm.collector.config.Settings;
import io.zendeskcrm.collector.config.SettingsException;
import io.zendeskcrm.collector.sink.LocalDirectorySink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsProfileRegionProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProviderChain;
import software.amazon.awssdk.regions.providers.InstanceProfileRegionProvider;

/**
 * Checks of what the settings point at that need more than the settings themselves, made before any
 * request to Zendesk or S3 so that a mistake is one {@code configuration error:} line (exit status 2)
 * instead of a failure halfway: where S3 is, and whether {@code OUTPUT_DIR} can be written.
 */
final class Preflight {
    private Preflight() {}

    /**
     * The S3 client's region, looked for where the AWS SDK looks ({@code AWS_REGION} or the
     * {@code aws.region} property, the profile's {@code region} in {@code ~/.aws/config}, EC2 instance
     * metadata) and also in {@code AWS_DEFAULT_REGION}, which the AWS CLI reads but the Java SDK does not.
     * An S3-compatible endpoint ({@code AWS_ENDPOINT_URL_S3}) needs none: us-east-1 is used for signing.
     *
     * @throws SettingsException naming AWS_REGION when no region is found
     */
    static Region s3Region(Settings settings, Function<String, Optional<String>> lookup) {
        return s3Region(settings, lookup, new AwsProfileRegionProvider(), new InstanceProfileRegionProvider());
    }

    /** @param elsewhere where to look after the variables (the profile file, instance metadata) */
    static Region s3Region(Settings settings, Function<String, Optional<String>> lookup, AwsRegionProvider... elsewhere) {
        List<AwsRegionProvider> providers = new ArrayList<>();
        for (String name : List.of("AWS_REGION", "aws.region", "AWS_DEFAULT_REGION")) {
            providers.add(() -> lookup.apply(name).map(String::strip).filter(v -> !v.isEmpty()).map(Region::of)
                    .orElseThrow(() -> SdkClientException.create(name + " is not set")));
        }
        providers.addAll(List.of(elsewhere));
        try {
            return new AwsRegionProviderChain(providers.toArray(AwsRegionProvider[]::new)).getRegion();
        } catch (SdkClientException e) {
            if (settings.s3Endpoint().isPresent()) return Region.US_EAST_1;
            throw new SettingsException("AWS_REGION is required to write to S3 (S3_BUCKET " + settings.bucket().orElseThrow()
                    + "): set it to the bucket's region, such as AWS_REGION=us-east-1 (AWS_DEFAULT_REGION or a region in the"
                    + " AWS profile also do), or set OUTPUT_DIR to write to a local directory");
        }
    }

    /**
     * {@code OUTPUT_DIR} is a directory, or can be created, and a file can be written in it: a file of that
     * name, a read-only file system, missing permissions or a full disk are refused with the reason.
     */
    static void checkOutputDir(Path dir) {
        String name = "OUTPUT_DIR (" + dir + ")";
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new SettingsException(name + " is not a directory: a file of that name exists");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new SettingsException(name + " cannot be created: " + LocalDirectorySink.why(e));
        }
        Path probe = null;
        try {
            probe = Files.createTempFile(dir, ".write-check-", ".tmp");
            Files.write(probe, new byte[] {'\n'});
        } catch (IOException e) {
            throw new SettingsException(name + " cannot be written: " + LocalDirectorySink.why(e));
        } finally {
            if (probe != null) {
                try {
                    Files.deleteIfExists(probe);
                } catch (IOException ignored) {
                    // the probe is empty and named as a temporary file
                }
            }
        }
    }
}
