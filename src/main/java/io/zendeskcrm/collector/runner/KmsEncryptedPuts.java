package io.zendeskcrm.collector.runner;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * The S3 client of the OAuth state object ({@code OAUTH_STATE_KEY}): every PutObject is encrypted with
 * SSE-KMS under {@code OAUTH_STATE_KMS_KEY_ID}, without an S3 Bucket Key, so that the object's own ARN is
 * the encryption context and only a principal the key lets decrypt can read the stored refresh token.
 * Reads pass through: S3 decrypts for such a principal, and an object stored before the key was set
 * (SSE-S3) is read as before and written encrypted at the next rotation.
 *
 * <p>It carries exactly what {@link io.zendeskcrm.collector.checkpoint.S3CheckpointStore} uses
 * (GetObject, PutObject); the S3Client interface answers any other call with UnsupportedOperationException.
 */
final class KmsEncryptedPuts implements S3Client {
    private final S3Client s3;
    private final String kmsKeyId;

    KmsEncryptedPuts(S3Client s3, String kmsKeyId) {
        this.s3 = s3;
        this.kmsKeyId = kmsKeyId;
    }

    @Override
    public <T> T getObject(GetObjectRequest request, ResponseTransformer<GetObjectResponse, T> transformer) {
        return s3.getObject(request, transformer);
    }

    @Override
    public PutObjectResponse putObject(PutObjectRequest request, RequestBody body) {
        return s3.putObject(request.toBuilder().serverSideEncryption(ServerSideEncryption.AWS_KMS).ssekmsKeyId(kmsKeyId)
                .bucketKeyEnabled(false).build(), body);
    }

    @Override
    public String serviceName() {
        return s3.serviceName();
    }

    /** The shared client is closed by its owner. */
    @Override
    public void close() {
    }
}
