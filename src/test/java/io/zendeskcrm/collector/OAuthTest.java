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
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.zendeskcrm.collector.checkpoint.CheckpointStore;
import io.zendeskcrm.collector.checkpoint.S3CheckpointStore;
import io.zendeskcrm.collector.config.Secret;
import io.zendeskcrm.collector.stream.Deadline;
import io.zendeskcrm.collector.stream.RequestStats;
import io.zendeskcrm.collector.support.RacingStore;
import io.zendeskcrm.collector.support.ExactlyOnce;
import io.zendeskcrm.collector.zendesk.OAuthTokens;
import io.zendeskcrm.collector.zendesk.RatePacer;
import io.zendeskcrm.collector.zendesk.RefreshTokenVault;
import io.zendeskcrm.collector.zendesk.RetryingRequests;
import io.zendeskcrm.collector.zendesk.ZendeskOAuthApi;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
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

    /**
     * One stream: with two, the clock moves on with the other stream's answers, so a request sent with a token still
     * fresh may reach the fake after an expiry the time between would make real (a 401, then a renewal and the same
     * request again: a401RenewsTheAccessTokenOnceAndTheRequestSucceeds). On a busy machine that happened.
     */
    @Test
    void aLongClientCredentialsPassRenewsTokensBeforeTheyExpire() {
        accountWithPages(300);
        fake.tokenLifetime(Duration.ofSeconds(45));
        fake.onRequest(() -> clock.advance(Duration.ofSeconds(10))); // each answer takes 10 s: a token lasts four requests

        RunSummary summary = clientCredentials("RESOURCES", "incremental_tickets");

        assertTrue(summary.ok(), summary::failures);
        assertEquals(300, summary.streams().get(0).records());
        assertTrue(fake.tokensIssued() >= 8, "renewed along the way: " + fake.tokensIssued());
        assertEquals(0, fake.expiredTokenRejections(), "no request failed because a token had expired");
        assertEquals(0, summary.streams().get(0).retries());
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

    /**
     * One stream, as in aLongClientCredentialsPassRenewsTokensBeforeTheyExpire: with two, a request of the other stream
     * sent with the old access token may reach the fake between the rotation and the store, which the check below
     * cannot tell from a request carrying the new one.
     */
    @Test
    void eachRotatedRefreshTokenIsStoredBeforeTheNewAccessTokenIsUsed() {
        accountWithPages(200);
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

        RunSummary summary = refreshToken(seed, "RESOURCES", "incremental_tickets");

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

            clock.advance(Duration.ofMinutes(25)); // past the renewal point of the stored 30-minute access token
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

    // ---- refreshing rarely, and never losing the only live token ----

    private static final String STATE_OBJECT = CollectorTestResources.BUCKET + "/" + OAUTH_STATE_KEY;

    /** A pass's record of the day: each pass adds tickets, runs, and must succeed. */
    private void scheduledPasses(int passes, Duration every, String... more) {
        long id = 100_000;
        for (int pass = 0; pass < passes; pass++) {
            for (int i = 0; i < 3; i++) fake.putTicket(id++, clock.instant().minusSeconds(120 + i), "open");
            RunSummary summary = refreshToken(FakeZendesk.SEED_REFRESH_TOKEN, more);
            assertTrue(summary.ok(), "pass " + pass + ": " + summary.failures());
            clock.advance(every);
        }
    }

    @Test
    void aDayOfFiveMinutePassesWithOneHourTokensRefreshesAboutOncePerTokenLifetime() {
        accountWithPages(20);
        fake.tokenLifetime(Duration.ofHours(1)); // the longest this account grants, whatever is asked
        fake.onRequest(() -> clock.advance(Duration.ofMillis(700)));

        scheduledPasses(288, Duration.ofMinutes(5), "RESOURCES", "incremental_tickets");

        // Renewed when a fifth of the hour is left (48 min): 24 h / 48 min = 30, plus the first.
        System.out.printf("a day of 288 five-minute passes with one-hour tokens: %d refreshes, %d refused%n",
                fake.refreshes(), fake.refusedRefreshes());
        assertTrue(fake.refreshes() >= 24 && fake.refreshes() <= 31, "refreshes in a day: " + fake.refreshes());
        assertEquals(0, fake.refusedRefreshes(), "no invalid_grant");
        assertEquals(0, fake.expiredTokenRejections(), "no request sent with an expired token");
        assertTrue(fake.askedLifetimes().stream().allMatch(l -> l == 172_800), "asked for Zendesk's longest: " + fake.askedLifetimes());
        ExactlyOnce.assertTickets(bucket.records("zendesk/crm/incremental_tickets/"), fake);
        JsonNode state = bucket.json(OAUTH_STATE_KEY);
        assertEquals(fake.currentRefreshToken(), state.get("refresh_token").asText());
        assertTrue(fake.issuedAccessTokens().contains(state.get("access_token").asText()), "the stored access token is the live one");
    }

    @Test
    void withTwoDayTokensADayOfHourlyPassesRefreshesOnceAndReportsTheRefreshTokensExpiry() {
        accountWithPages(20);
        fake.tokenLifetime(Duration.ofDays(2));
        fake.refreshTokenLifetime(Duration.ofDays(30));

        scheduledPasses(24, Duration.ofHours(1), "RESOURCES", "incremental_tickets");

        assertEquals(1, fake.refreshes(), "one refresh in a day: the two-day access token is kept between passes");
        assertEquals(List.of(172_800L), fake.askedLifetimes());
        assertEquals(0, fake.refusedRefreshes());
        ExactlyOnce.assertTickets(bucket.records("zendesk/crm/incremental_tickets/"), fake);
        RunSummary next = refreshToken(FakeZendesk.SEED_REFRESH_TOKEN, "RESOURCES", "incremental_tickets");
        long left = next.refreshTokenExpiresInSeconds();
        // Issued at the first pass, 24 h ago (the clock moved on during that pass a little too).
        assertTrue(left <= Duration.ofDays(29).toSeconds() && left > Duration.ofDays(29).minusMinutes(5).toSeconds(), "left: " + left);
        assertTrue(Instant.parse(bucket.json(OAUTH_STATE_KEY).get("refresh_token_expires_at").asText())
                .isAfter(clock.instant().plus(Duration.ofDays(28))));
    }

    /** A pass of its own, as a second process would run it: its own tokens, the shared store at OAUTH_STATE_KEY. */
    private OAuthTokens pass(CheckpointStore store) {
        RetryingRequests requests = new RetryingRequests(3, sleeper, new RequestStats(), clock, Deadline.NONE, new RatePacer(20));
        ZendeskOAuthApi api = QuarkusRestClientBuilder.newBuilder().baseUri(URI.create(zendesk.baseUrl()))
                .disableDefaultMapper(true).build(ZendeskOAuthApi.class);
        return new OAuthTokens(api, requests, clock, sleeper, FakeZendesk.CLIENT_ID, new Secret(FakeZendesk.CLIENT_SECRET),
                "read", new RefreshTokenVault(store, new Secret(FakeZendesk.SEED_REFRESH_TOKEN)));
    }

    private CheckpointStore sharedState() {
        return new S3CheckpointStore(CollectorTestResources.s3().client(), CollectorTestResources.BUCKET, OAUTH_STATE_KEY);
    }

    @Test
    void twoPassesThatBothFindTheTokenDueRefreshOnceAndShareTheResult() {
        OAuthTokens first = pass(sharedState());
        String before = first.header();
        clock.advance(Duration.ofMinutes(25)); // the 30-minute token is due for renewal: both passes will refresh
        OAuthTokens a = pass(sharedState());
        // b reads the stored state; right then a refreshes and stores, so b's refresh token is the one a just spent.
        OAuthTokens b = pass(new RacingStore(sharedState(), a::header));

        String fromB = b.header();

        String fromA = a.header();
        assertEquals(fromA, fromB, "b uses what a stored instead of refreshing over it");
        assertFalse(fromA.equals(before));
        assertEquals(2, fake.refreshes());
        assertEquals(1, fake.refusedRefreshes(), "b's one refresh with the spent token, then it read the store again");
        assertEquals(java.util.Set.of(fromA.substring(7)), fake.issuedAccessTokens(), "the token both use is live");
        assertEquals(fake.currentRefreshToken(), bucket.json(OAUTH_STATE_KEY).get("refresh_token").asText());
    }

    @Test
    void aPassWhoseTokenAnotherPassReplacedTakesTheStoredOneAfterA401() {
        OAuthTokens a = pass(sharedState());
        String held = a.header();
        clock.advance(Duration.ofMinutes(25));
        OAuthTokens b = pass(sharedState());
        String fromB = b.header(); // due: b refreshes, and Zendesk deletes the token a holds
        assertFalse(fake.issuedAccessTokens().contains(held.substring(7)));

        assertTrue(a.renewAfterRejection(held)); // a's next API request was answered 401
        String fromA = a.header();

        assertEquals(fromB, fromA, "a read the store again and took b's token");
        assertEquals(2, fake.refreshes(), "a did not refresh over b");
        assertEquals(0, fake.refusedRefreshes());
    }

    @Test
    void aRotatedTokenThatCannotBeStoredAtFirstIsUsedAndStoredLaterInThePass() {
        accountWithPages(100);
        try (RecordingS3Proxy s3 = new RecordingS3Proxy(CollectorTestResources.s3())) {
            s3.failPuts(STATE_OBJECT);
            fake.onRequest(() -> {
                clock.advance(Duration.ofSeconds(10));
                if (fake.requests() == 4) s3.healPuts();
            });

            RunSummary summary = refreshToken(FakeZendesk.SEED_REFRESH_TOKEN, "RESOURCES", "incremental_tickets",
                    "AWS_ENDPOINT_URL_S3", s3.url());

            assertTrue(summary.ok(), summary::failures);
            assertEquals(100, summary.streams().get(0).records(), "the pass went on with the token it could not store yet");
            assertEquals(1, fake.refreshes());
            assertEquals(fake.currentRefreshToken(), bucket.json(OAUTH_STATE_KEY).get("refresh_token").asText(), "stored later");
            assertTrue(sleeper.waits().containsAll(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4))),
                    "the first writes backed off: " + sleeper.waits());
        }
        RunSummary next = refreshToken(FakeZendesk.SEED_REFRESH_TOKEN, "RESOURCES", "incremental_tickets");
        assertTrue(next.ok(), next::failures);
        assertEquals(0, fake.refusedRefreshes());
    }

    @Test
    void aRotatedTokenNeverStoredFailsThePassWithOneErrorNamingOAuthStateKey() {
        accountWithPages(30);
        try (RecordingS3Proxy s3 = new RecordingS3Proxy(CollectorTestResources.s3())) {
            s3.failPuts(STATE_OBJECT);
            fake.onRequest(() -> clock.advance(Duration.ofSeconds(10)));

            RunSummary summary = refreshToken(FakeZendesk.SEED_REFRESH_TOKEN, "RESOURCES", "incremental_tickets",
                    "AWS_ENDPOINT_URL_S3", s3.url());

            assertFalse(summary.ok());
            assertTrue(summary.streams().get(0).ok(), "the records were collected all the same");
            assertEquals(30, summary.streams().get(0).records());
            String failures = summary.failures();
            assertTrue(failures.contains("could not be stored") && failures.contains("OAUTH_STATE_KEY")
                    && failures.contains(OAUTH_STATE_KEY) && failures.contains("ZENDESK_OAUTH_REFRESH_TOKEN"), failures);
            assertFalse(failures.contains(fake.currentRefreshToken()), failures);
            assertFalse(failures.contains(FakeZendesk.SEED_REFRESH_TOKEN), failures);
        }
    }

    @Test
    void aRefreshWhoseAnswerWasLostSaysSoAndNamesWhatToDo() {
        accountWithPages(10);
        fake.loseTokenAnswers(FakeZendesk.LostAnswer.RESET); // Zendesk rotates; the answer never arrives

        RunSummary summary = refreshToken(FakeZendesk.SEED_REFRESH_TOKEN, "RESOURCES", "incremental_tickets");

        assertFalse(summary.ok());
        String failures = summary.failures();
        assertTrue(failures.contains("the answer to a refresh was lost") && failures.contains("rotated")
                && failures.contains("authorize again and set ZENDESK_OAUTH_REFRESH_TOKEN"), failures);
        assertEquals(1, fake.refusedRefreshes(), "the refresh was sent once more, after reading the store, and refused");
        assertFalse(failures.contains(fake.currentRefreshToken()), failures);
    }

    @Test
    void aRefreshAnsweredByAnEdgeBeforeZendeskSawItIsSentAgainAndSucceeds() {
        accountWithPages(10);
        fake.failTokenRequestsAtTheEdge(1);

        RunSummary summary = refreshToken(FakeZendesk.SEED_REFRESH_TOKEN, "RESOURCES", "incremental_tickets");

        assertTrue(summary.ok(), summary::failures);
        assertEquals(10, summary.streams().get(0).records());
        assertEquals(1, fake.refreshes());
        assertEquals(0, fake.refusedRefreshes());
        assertEquals(fake.currentRefreshToken(), bucket.json(OAUTH_STATE_KEY).get("refresh_token").asText());
    }

    @Test
    void aRefreshWhoseAnswerWasLostIsNotSentAgainWhenAnotherPassHasStoredANewerToken() {
        OAuthTokens first = pass(sharedState());
        first.header();
        clock.advance(Duration.ofMinutes(25));
        OAuthTokens other = pass(sharedState());
        OAuthTokens a = pass(sharedState());
        // a's refresh gets an edge's 502 (Zendesk never saw it); while a waits to retry, another pass refreshes and stores.
        fake.failTokenRequestsAtTheEdge(1);
        boolean[] once = {false};
        sleeper.onSleep(() -> {
            if (!once[0]) {
                once[0] = true;
                other.header();
            }
        });

        String fromA = a.header();

        assertEquals(other.header(), fromA, "a took the other pass's token");
        assertEquals(2, fake.refreshes());
        assertEquals(0, fake.refusedRefreshes(), "a did not send the refresh token the other pass had spent");
    }
}
