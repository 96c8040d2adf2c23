package io.zendeskcrm.collector;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.zendeskcrm.collector.support.Bucket;
import io.zendeskcrm.collector.support.CollectorComponentTest;
import io.zendeskcrm.collector.support.CollectorTestResources;
import io.zendeskcrm.collector.support.FakeZendesk;
import io.zendeskcrm.collector.support.RecordingS3Proxy;
import io.zendeskcrm.collector.support.TestClock;
import io.zendeskcrm.collector.support.TestSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** OAuth sign-in against a Zendesk whose access tokens expire and whose refresh tokens rotate. */
@QuarkusTest
@QuarkusTestResource(CollectorTestResources.class)
class OAuthTest extends CollectorComponentTest {
    static final String OAUTH_STATE_KEY = "zendesk/crm-state/oauth.json";

    @BeforeEach
    void serve() {
        serveFake();
    }

    private RunSummary clientCredentials(String... more) {
        List<String> env = new ArrayList<>(List.of("AUTH_MODE", "oauth_client_credentials", "ZENDESK_OAUTH_CLIENT_ID", FakeZendesk.CLIENT_ID,
                "ZENDESK_OAUTH_CLIENT_SECRET", FakeZendesk.CLIENT_SECRET, "ZENDESK_API_TOKEN", "", "MAX_PAGES", "0"));
        env.addAll(List.of(more));
        return collector.run(TestSettings.with(env.toArray(String[]::new)));
    }

    private RunSummary refreshToken(String seed, String... more) {
        List<String> env = new ArrayList<>(List.of("AUTH_MODE", "oauth_refresh_token", "ZENDESK_OAUTH_CLIENT_ID", FakeZendesk.CLIENT_ID,
                "ZENDESK_OAUTH_CLIENT_SECRET", FakeZendesk.CLIENT_SECRET, "ZENDESK_OAUTH_REFRESH_TOKEN", seed,
                "ZENDESK_API_TOKEN", "", "MAX_PAGES", "0"));
        env.addAll(List.of(more));
        return collector.run(TestSettings.with(env.toArray(String[]::new)));
    }

    private void accountWithPages(int tickets) {
        fake.ticketPageSize(10);
        for (int i = 0; i < tickets; i++) fake.putTicket(i, TestClock.START.minusSeconds(900 + i), "open");
        for (int i = 0; i < 250; i++) fake.addAudit(i, TestClock.START.minusSeconds(1800 - i), TestClock.START.minusSeconds(1800 - i));
    }

    @Test
    void aLongClientCredentialsPassRenewsTokensBeforeTheyExpire() {
        accountWithPages(300);
        fake.tokenLifetime(Duration.ofSeconds(45));
        fake.onRequest(() -> clock.advance(Duration.ofSeconds(10))); // each answer takes 10 s: a token lasts four requests

        RunSummary summary = clientCredentials();

        assertTrue(summary.ok(), summary::failures);
        assertEquals(250, summary.streams().get(0).records());
        assertEquals(300, summary.streams().get(1).records());
        assertTrue(fake.tokensIssued() >= 8, "renewed along the way: " + fake.tokensIssued());
        assertEquals(0, fake.expiredTokenRejections(), "no request failed because a token had expired");
        assertEquals(0, summary.streams().get(1).retries());
    }

    @Test
    void a401RenewsTheAccessTokenOnceAndTheRequestSucceeds() {
        accountWithPages(30);
        fake.onRequest(() -> {
            if (fake.requests() == 3) fake.revokeAccessTokens(); // revoked between the first pages
        });

        RunSummary summary = clientCredentials("RESOURCES", "incremental_tickets");

        assertTrue(summary.ok(), summary::failures);
        assertEquals(30, summary.streams().get(0).records());
        assertEquals(2, fake.tokensIssued());
    }

    @Test
    void aWrongClientSecretFailsOnceWithOneClearErrorAndNoProgress() {
        accountWithPages(30);

        RunSummary summary = clientCredentials("ZENDESK_OAUTH_CLIENT_SECRET", "cs-wrong-0c1d2e3f4a5b");

        assertFalse(summary.ok());
        assertEquals(1, zendesk.countRequestsMatching(postRequestedFor(urlPathEqualTo("/oauth/tokens")).build()).getCount(),
                "the refused client is not asked again, not by the other stream either");
        String failures = summary.failures();
        assertTrue(failures.contains("401") && failures.contains("ZENDESK_OAUTH_CLIENT_SECRET") && failures.contains("invalid_client"), failures);
        assertFalse(failures.contains("cs-wrong-0c1d2e3f4a5b"), failures);
        assertTrue(sleeper.waits().isEmpty(), "no retry loop");
        JsonNode state = bucket.json("zendesk/crm-state/state.json");
        assertFalse(state.at("/streams/incremental_tickets").has("cursor"), "no checkpoint advanced: " + state);
    }

    @Test
    void eachRotatedRefreshTokenIsStoredBeforeTheNewAccessTokenIsUsed() {
        accountWithPages(100);
        fake.tokenLifetime(Duration.ofSeconds(45));
        String seed = fake.currentRefreshToken();
        List<String> violations = new ArrayList<>();
        // Whenever a request reaches Zendesk, the stored refresh token must be the one Zendesk holds live.
        fake.onRequest(() -> {
            clock.advance(Duration.ofSeconds(10));
            String stored = bucket.maybeBytes(OAUTH_STATE_KEY).map(b -> Bucket.decode("x.json", b).get(0).path("refresh_token").asText())
                    .orElse(seed);
            if (!stored.equals(fake.currentRefreshToken())) violations.add(stored);
        });

        RunSummary summary = refreshToken(seed);

        assertTrue(summary.ok(), summary::failures);
        assertTrue(fake.tokensIssued() >= 4, "rotated several times: " + fake.tokensIssued());
        assertEquals(List.of(), violations);
        JsonNode stored = bucket.json(OAUTH_STATE_KEY);
        assertEquals(fake.currentRefreshToken(), stored.get("refresh_token").asText());
        assertFalse(stored.toString().contains(seed), "the seed itself is not stored, only its hash");

        // The seed is dead now; the next run starts from the stored token.
        fake.onRequest(() -> clock.advance(Duration.ofSeconds(10)));
        RunSummary next = refreshToken(seed);
        assertTrue(next.ok(), next::failures);
    }

    /**
     * With OAUTH_STATE_KMS_KEY_ID, the rotated refresh token is written with SSE-KMS under that key (and no
     * Bucket Key, so the object's ARN is the encryption context); the checkpoint and the log objects are not.
     * A token stored before the key was set is read once and rewritten encrypted at the next rotation.
     */
    @Test
    void withAKmsKeyTheRotatedRefreshTokenAloneIsWrittenUnderItAndAnEarlierTokenMovesOver() {
        String kmsKey = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        accountWithPages(30);
        String seed = fake.currentRefreshToken();
        String oauthObject = CollectorTestResources.BUCKET + "/" + OAUTH_STATE_KEY;
        try (RecordingS3Proxy s3 = new RecordingS3Proxy(CollectorTestResources.s3())) {
            // An earlier deployment, without the key, stored a rotated token (SSE-S3, the bucket's default).
            assertTrue(refreshToken(seed, "RESOURCES", "incremental_tickets", "AWS_ENDPOINT_URL_S3", s3.url()).ok());
            assertFalse(s3.puts(oauthObject).isEmpty());
            s3.puts().forEach(put -> assertFalse(put.containsHeader("x-amz-server-side-encryption"), put.getUrl()));
            String stored = bucket.json(OAUTH_STATE_KEY).get("refresh_token").asText();
            s3.forget();

            clock.advance(Duration.ofMinutes(5));
            RunSummary withKey = refreshToken(seed, "RESOURCES", "incremental_tickets", "AWS_ENDPOINT_URL_S3", s3.url(),
                    "OAUTH_STATE_KMS_KEY_ID", kmsKey);

            assertTrue(withKey.ok(), withKey::failures);
            assertFalse(fake.everyTokenIssued().isEmpty());
            assertTrue(fake.tokensIssued() >= 2, "the stored token was exchanged, not the spent seed");
            List<com.github.tomakehurst.wiremock.verification.LoggedRequest> oauthPuts = s3.puts(oauthObject);
            assertEquals(1, oauthPuts.size(), "one rotation, stored once");
            for (var put : oauthPuts) {
                assertEquals("aws:kms", put.getHeader("x-amz-server-side-encryption"));
                assertEquals(kmsKey, put.getHeader("x-amz-server-side-encryption-aws-kms-key-id"));
                assertEquals("false", put.getHeader("x-amz-server-side-encryption-bucket-key-enabled"));
            }
            List<String> others = s3.puts().stream().filter(put -> !oauthPuts.contains(put))
                    .filter(put -> put.containsHeader("x-amz-server-side-encryption")).map(put -> put.getUrl()).toList();
            assertEquals(List.of(), others, "the checkpoint and the log objects keep the bucket's encryption");
            assertTrue(s3.puts().size() > oauthPuts.size(), "the checkpoint and log objects were written too");
            String rotated = bucket.json(OAUTH_STATE_KEY).get("refresh_token").asText();
            assertFalse(rotated.equals(stored), "rewritten at the rotation");
            assertEquals(fake.currentRefreshToken(), rotated);
        }
    }

    @Test
    void aRunThatDiesAfterRotatingLeavesAUsableCredentialForTheNext() {
        accountWithPages(50);
        String seed = fake.currentRefreshToken();
        // The run rotates the refresh token, then every request fails until the run gives up, as if it had died.
        fake.onRequest(() -> {
            if (fake.tokensIssued() == 1 && bucket.maybeBytes(OAUTH_STATE_KEY).isPresent()) {
                throw new IllegalStateException("the process dies here");
            }
        });
        RunSummary dead = refreshToken(seed, "RESOURCES", "incremental_tickets");
        assertFalse(dead.ok());
        assertTrue(bucket.maybeBytes(OAUTH_STATE_KEY).isPresent(), "rotated and stored before the first API request");

        fake.onRequest(() -> { });
        RunSummary next = refreshToken(seed, "RESOURCES", "incremental_tickets");
        assertTrue(next.ok(), next::failures);
        assertEquals(50, next.streams().get(0).records());
    }

    @Test
    void aNewSeedReplacesAStoredRefreshTokenThatNoLongerWorks() {
        accountWithPages(10);
        assertTrue(refreshToken(fake.currentRefreshToken(), "RESOURCES", "incremental_tickets").ok());
        // The operator re-authorizes: Zendesk now holds a new refresh token, set as the new seed.
        String reissued = fake.currentRefreshToken();
        bucket.put(OAUTH_STATE_KEY, ("{\"version\":1,\"refresh_token\":\"rt-dead\",\"seed_sha256\":\"x\"}").getBytes());
        RunSummary run = refreshToken(reissued, "RESOURCES", "incremental_tickets");
        assertTrue(run.ok(), run::failures);
    }
}
