package io.zendeskcrm.collector.it;

import io.zendeskcrm.collector.support.Bucket;
import io.zendeskcrm.collector.support.FakeZendesk;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

import static io.zendeskcrm.collector.it.LeakCheck.debug;
import static io.zendeskcrm.collector.it.LeakCheck.with;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link SecretsStayOutOfOutputIT} for a refresh token through its rotations (stored, stored under a KMS key, revoked access tokens, the bucket gone before the rotated
 * token is stored), most with every logger at DEBUG. No secret value and no token issued may appear.
 */
class RefreshTokenSecretsStayOutOfOutputIT {
    static final String REMOVED_BUCKET = "zendesk-logs-removed-mid-run";

    @Test
    void noRefreshTokenOrAccessTokenAppearsInAnyOutput(@TempDir Path logs) throws Exception {
        try (Account account = new Account()) {
            S3Client s3 = account.s3.client();
            FakeZendesk zendesk = account.zendesk;
            zendesk.tokenLifetime(Duration.ofSeconds(2));
            zendesk.putTicket(1, Instant.now().minusSeconds(300), "open");
            zendesk.addAudit(2, Instant.now().minusSeconds(300), Instant.now().minusSeconds(300));
            LeakCheck check = new LeakCheck(account);

            Map<String, String> oauth = with(account.env(), "AUTH_MODE", "oauth_client_credentials",
                    "ZENDESK_OAUTH_CLIENT_ID", FakeZendesk.CLIENT_ID, "ZENDESK_OAUTH_CLIENT_SECRET", FakeZendesk.CLIENT_SECRET);
            Map<String, String> refresh = with(oauth, "AUTH_MODE", "oauth_refresh_token",
                    "ZENDESK_OAUTH_REFRESH_TOKEN", zendesk.currentRefreshToken());
            List<LeakCheck.Case> cases = new ArrayList<>();
            cases.add(new LeakCheck.Case("refresh token ok", refresh, 0));
            cases.add(new LeakCheck.Case("refresh token ok again (stored rotation)", refresh, 0));
            // The access token is kept between runs; revoked, it is answered 401 and the run refreshes.
            cases.add(new LeakCheck.Case("refresh token ok, DEBUG: rotates and stores the new token", () -> debug(refresh), 0,
                    zendesk::revokeAccessTokens, result -> assertTrue(stored(account).contains(zendesk.currentRefreshToken()),
                            "the rotated refresh token was written to S3")));
            cases.add(new LeakCheck.Case("refresh token ok, DEBUG: the rotated token written under a KMS key", () -> debug(with(refresh,
                    "OAUTH_STATE_KMS_KEY_ID", "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab")), 0,
                    zendesk::revokeAccessTokens, result -> assertTrue(stored(account).contains(zendesk.currentRefreshToken()),
                            "the rotated refresh token was written to S3")));
            AtomicBoolean removed = new AtomicBoolean();
            cases.add(new LeakCheck.Case("refresh token, DEBUG: the bucket disappears before the rotated token is stored",
                    () -> debug(with(refresh, "S3_BUCKET", REMOVED_BUCKET, "ZENDESK_OAUTH_REFRESH_TOKEN", zendesk.currentRefreshToken())), 1,
                    () -> {
                        s3.createBucket(b -> b.bucket(REMOVED_BUCKET));
                        zendesk.onRequest(() -> {
                            if (removed.compareAndSet(false, true)) {
                                // The run has claimed its checkpoint by now: the bucket must be emptied first.
                                Bucket bucket = new Bucket(s3, REMOVED_BUCKET);
                                bucket.keys("").forEach(key -> s3.deleteObject(b -> b.bucket(REMOVED_BUCKET).key(key)));
                                s3.deleteBucket(b -> b.bucket(REMOVED_BUCKET));
                            }
                        });
                    },
                    result -> {
                        zendesk.onRequest(() -> { });
                        assertTrue(removed.get(), "the bucket was removed while the run was talking to Zendesk");
                        assertTrue(result.stdout().contains("the rotated refresh token could not be stored"), result.stdout());
                    }));

            check.run(cases, logs);
            assertTrue(zendesk.everyTokenIssued().size() >= 6, "the OAuth cases did get tokens: " + zendesk.everyTokenIssued().size());
            check.assertNothingLeaked();
        }
    }

    private static String stored(Account account) {
        return new String(account.bucket.bytes("zendesk/crm-state/oauth.json"), StandardCharsets.UTF_8);
    }
}
