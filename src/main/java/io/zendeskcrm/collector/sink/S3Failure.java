package io.zendeskcrm.collector.sink;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * An S3 request failed for good: the message names the object, S3's status and error code, and the
 * setting to check (a bucket that does not exist, another region, refused credentials, denied access).
 * S3's own words are kept; they never hold a secret.
 */
public final class S3Failure extends RuntimeException {
    private S3Failure(String message, SdkException cause) {
        super(message, cause);
    }

    /** @param key the object the request was for */
    public static S3Failure of(SdkException e, String bucket, String key) {
        String where = "s3://" + bucket + "/" + key;
        if (!(e instanceof S3Exception s3) || s3.awsErrorDetails() == null) {
            return new S3Failure("S3 request for " + where + " failed: " + firstLine(e.getMessage()), e);
        }
        String code = s3.awsErrorDetails().errorCode() == null ? "" : s3.awsErrorDetails().errorCode();
        String said = " (S3 answered " + s3.statusCode() + (code.isEmpty() ? "" : " " + code) + ")";
        String why = switch (code) {
            case "NoSuchBucket" -> "the bucket " + bucket + " does not exist" + said + "; check S3_BUCKET (and AWS_REGION)";
            case "PermanentRedirect", "AuthorizationHeaderMalformed", "IllegalLocationConstraintException" ->
                    "the bucket " + bucket + " is in another region" + said + "; set AWS_REGION to the bucket's region";
            case "InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken", "InvalidToken" ->
                    "S3 refused the AWS credentials" + said + "; check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or the"
                            + " profile or role they come from)";
            case "AccessDenied" -> "access to " + where + " was denied" + said + "; the role or user needs s3:GetObject and"
                    + " s3:PutObject on it (and s3:ListBucket for the checkpoint's key), and any KMS key of the bucket";
            default -> "S3 request for " + where + " failed: " + firstLine(s3.awsErrorDetails().errorMessage()) + said;
        };
        return new S3Failure(why, e);
    }

    private static String firstLine(String message) {
        return message == null ? "no detail" : message.lines().findFirst().orElse("").strip();
    }
}
