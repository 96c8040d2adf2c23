package io.zendeskcrm.collector.runner;

import io.zendeskcrm.collector.config.Credentials;
import io.zendeskcrm.collector.config.Settings;
import io.zendeskcrm.collector.config.SettingsException;
import io.zendeskcrm.collector.runner.CheckReport.Line;
import io.zendeskcrm.collector.runner.CheckReport.Mark;
import io.zendeskcrm.collector.sink.S3Failure;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Where the collector writes, checked without writing anything a pass or a SecOps feed would read.
 *
 * <p>In S3: a probe object beside the checkpoint ({@code STATE_KEY.check}, outside the data prefix) is
 * written with {@code If-None-Match: *}, written so again (which S3 must refuse: the checkpoint's
 * compare-and-swap rests on it), read and deleted. Only once conditional writes are proven enforced are
 * the checkpoint, a key under the data prefix and the OAuth state object each sent a write with an
 * {@code If-Match} no object has: S3 checks access before the condition, so 403 means denied, while 412
 * (or 404 for a key that does not exist) means the write would be allowed, and nothing is written.
 */
final class StorageCheck {
    static final String PROBE_SUFFIX = ".check";
    /** An ETag no object has: the condition of the writes that must never land. */
    private static final String NO_OBJECT_HAS_THIS_ETAG = "\"00000000000000000000000000000000\"";
    private static final byte[] PROBE = "zendesk-crm-collector check probe\n".getBytes(StandardCharsets.UTF_8);

    private final Settings settings;
    private final Optional<S3Client> s3;

    /** @param s3 the collector's S3 client, empty with {@code OUTPUT_DIR} */
    StorageCheck(Settings settings, Optional<S3Client> s3) {
        this.settings = settings;
        this.s3 = s3;
    }

    List<Line> run() {
        return settings.outputDir().map(this::outputDir).orElseGet(this::bucket);
    }

    private List<Line> outputDir(Path dir) {
        Path checkpointFolder = dir.resolve(settings.stateKey()).getParent();
        try {
            Preflight.checkOutputDir(dir);
            Preflight.checkOutputDir(checkpointFolder);
        } catch (SettingsException e) {
            return List.of(new Line(Mark.FAIL, "OUTPUT_DIR", e.getMessage()));
        }
        return List.of(new Line(Mark.PASS, "OUTPUT_DIR", dir + " and the checkpoint's folder " + checkpointFolder + " are writable"));
    }

    private List<Line> bucket() {
        String bucket = settings.bucket().orElseThrow();
        S3Client client = s3.orElseThrow();
        if (settings.stateKeyInsideDataPrefix()) {
            return List.of(new Line(Mark.FAIL, "bucket", "not checked: its probe object would lie inside S3_PREFIX with"
                    + " STATE_KEY (see STATE_KEY)"));
        }
        List<Line> lines = new ArrayList<>();
        String probe = settings.stateKey() + PROBE_SUFFIX;
        try {
            if (!conditionalWritesEnforced(client, bucket, probe)) {
                lines.add(new Line(Mark.FAIL, "conditional writes", "s3://" + bucket + "/" + probe + " was written over although its"
                        + " condition failed (If-None-Match: * or If-Match): this store does not enforce conditional writes, which the checkpoint needs"
                        + " (use S3, or an S3-compatible store that supports If-None-Match and If-Match)"));
                return lines;
            }
        } catch (SdkException e) {
            lines.add(new Line(Mark.FAIL, "bucket", S3Failure.of(e, bucket, probe).getMessage()
                    + " (the check writes, reads and deletes this probe object beside STATE_KEY)"));
            return lines;
        }
        lines.add(new Line(Mark.PASS, "conditional writes", "enforced (s3://" + bucket + "/" + probe
                + " written, refused when written again, read and deleted)"));
        lines.add(writable(bucket, "checkpoint", settings.stateKey(), client));
        lines.add(writable(bucket, "objects", settings.prefix().isEmpty() ? "check-probe" : settings.prefix() + "/check-probe", client));
        Credentials credentials = settings.credentials();
        if (credentials.mode() == Credentials.AuthMode.OAUTH_REFRESH_TOKEN) {
            S3Client oauth = credentials.oauthStateKmsKeyId().<S3Client>map(k -> new KmsEncryptedPuts(client, k)).orElse(client);
            lines.add(oauthState(client, oauth, bucket, credentials));
        }
        return lines;
    }

    /** The probe written once, refused the second time, read and deleted; false when the second write landed. */
    private static boolean conditionalWritesEnforced(S3Client s3, String bucket, String key) {
        try {
            putIfAbsent(s3, bucket, key);
        } catch (S3Exception e) {
            if (!refusedByCondition(e)) throw e;
            s3.deleteObject(b -> b.bucket(bucket).key(key)); // the probe of a check that was stopped midway
            putIfAbsent(s3, bucket, key);
        }
        boolean enforced = refused(() -> putIfAbsent(s3, bucket, key))
                && refused(() -> s3.putObject(PutObjectRequest.builder().bucket(bucket).key(key).ifMatch(NO_OBJECT_HAS_THIS_ETAG)
                        .build(), RequestBody.fromBytes(PROBE)));
        s3.getObjectAsBytes(b -> b.bucket(bucket).key(key));
        s3.deleteObject(b -> b.bucket(bucket).key(key));
        return enforced;
    }

    /** Whether S3 refused the write for its condition (any other failure is thrown). */
    private static boolean refused(Runnable write) {
        try {
            write.run();
            return false;
        } catch (S3Exception e) {
            if (!refusedByCondition(e)) throw e;
            return true;
        }
    }

    private static void putIfAbsent(S3Client s3, String bucket, String key) {
        s3.putObject(PutObjectRequest.builder().bucket(bucket).key(key).ifNoneMatch("*").build(), RequestBody.fromBytes(PROBE));
    }

    private static boolean refusedByCondition(S3Exception e) {
        return e.statusCode() == 412 || e.statusCode() == 409;
    }

    /** A write to {@code key} that can only be refused: allowed when refused by its condition, not by access. */
    private static Line writable(String bucket, String item, String key, S3Client writer) {
        String where = "s3://" + bucket + "/" + key;
        try {
            writer.putObject(PutObjectRequest.builder().bucket(bucket).key(key).ifMatch(NO_OBJECT_HAS_THIS_ETAG).build(),
                    RequestBody.fromBytes(PROBE));
            return new Line(Mark.FAIL, item, where + " was written although its condition failed; the store does not"
                    + " enforce If-Match, which the checkpoint needs");
        } catch (S3Exception e) {
            if (refusedByCondition(e) || isNoSuchKey(e)) return new Line(Mark.PASS, item, where + " may be written");
            return new Line(Mark.FAIL, item, S3Failure.of(e, bucket, key).getMessage());
        } catch (SdkException e) {
            return new Line(Mark.FAIL, item, S3Failure.of(e, bucket, key).getMessage());
        }
    }

    private static boolean isNoSuchKey(S3Exception e) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        return e.statusCode() == 404 && !"NoSuchBucket".equals(code);
    }

    /**
     * The OAuth state object: read when it exists (under a KMS key, S3 decrypts with it), and a write that
     * can only be refused. Encrypting with the KMS key is first done by the first refresh: the key lets the
     * function encrypt for that one object only, and a check writes no refresh token.
     */
    private static Line oauthState(S3Client s3, S3Client writer, String bucket, Credentials credentials) {
        String key = credentials.oauthStateKey();
        String kms = credentials.oauthStateKmsKeyId().map(k -> " (KMS key " + k + ")").orElse("");
        boolean exists;
        try {
            s3.getObjectAsBytes(b -> b.bucket(bucket).key(key));
            exists = true;
        } catch (S3Exception e) {
            if (!isNoSuchKey(e)) {
                return new Line(Mark.FAIL, "OAuth state", S3Failure.of(e, bucket, key).getMessage()
                        + (kms.isEmpty() ? "" : "; the role also needs kms:Decrypt on OAUTH_STATE_KMS_KEY_ID"));
            }
            exists = false;
        } catch (SdkException e) {
            return new Line(Mark.FAIL, "OAuth state", S3Failure.of(e, bucket, key).getMessage());
        }
        Line write = writable(bucket, "OAuth state", key, writer);
        if (write.mark() != Mark.PASS) return write;
        return new Line(Mark.PASS, "OAuth state", "s3://" + bucket + "/" + key + kms + (exists ? " read and" : " (none stored yet)")
                + " may be written" + (kms.isEmpty() ? "" : "; encrypting under the key is first done by the first refresh"));
    }
}
