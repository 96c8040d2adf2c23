package io.zendeskcrm.collector.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zendeskcrm.collector.support.FakeZendesk;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged jar with {@code oauth_client_credentials} against a Zendesk whose access tokens expire
 * every 3 seconds (real time), over a pass of about 15 seconds: tokens are renewed as needed and no
 * request fails because one had expired. And with {@code oauth_refresh_token}, runs one after the other
 * share the stored access token instead of refreshing each time.
 */
class OAuthLongPassIT {
    @Test
    void refreshTokenRunsShareTheStoredAccessTokenAndALostRefreshAnswerIsOneClearError(@TempDir Path logs) throws Exception {
        try (Account account = new Account()) {
            FakeZendesk zendesk = account.zendesk;
            for (int i = 0; i < 50; i++) zendesk.putTicket(i, Instant.now().minusSeconds(3000 - i), "open");
            Map<String, String> env = account.env();
            env.put("AUTH_MODE", "oauth_refresh_token");
            env.put("ZENDESK_OAUTH_CLIENT_ID", FakeZendesk.CLIENT_ID);
            env.put("ZENDESK_OAUTH_CLIENT_SECRET", FakeZendesk.CLIENT_SECRET);
            env.put("ZENDESK_OAUTH_REFRESH_TOKEN", FakeZendesk.SEED_REFRESH_TOKEN);
            env.put("RESOURCES", "incremental_tickets");

            for (int run = 1; run <= 3; run++) {
                RunnerJar.Result result = RunnerJar.run(env, logs.resolve("run" + run), "once");
                assertEquals(0, result.exitCode(), result.stdout() + result.stderr());
                assertTrue(new ObjectMapper().readTree(result.stdout()).get("refresh_token_expires_in_seconds").asLong() > 0);
            }
            assertEquals(1, zendesk.refreshes(), "three runs, one refresh: the later runs used the stored access token");
            assertEquals(java.util.List.of(172_800L), zendesk.askedLifetimes());
            JsonNode state = new ObjectMapper().readTree(account.bucket.bytes("zendesk/crm-state/oauth.json"));
            assertEquals(zendesk.currentRefreshToken(), state.get("refresh_token").asText());

            // The stored access token is revoked, so the next run refreshes, and Zendesk's answer is lost after it acted.
            zendesk.revokeAccessTokens();
            zendesk.loseTokenAnswers(FakeZendesk.LostAnswer.RESET);
            RunnerJar.Result lost = RunnerJar.run(env, logs.resolve("lost"), "once");

            assertEquals(1, lost.exitCode(), lost.stdout() + lost.stderr());
            assertTrue(lost.stderr().contains("oauth: the answer to a refresh was lost"), lost.stderr());
            assertFalse(lost.stderr().contains("\tat "), "no stack trace: " + lost.stderr());
            for (String token : zendesk.everyTokenIssued()) {
                assertFalse((lost.stdout() + lost.stderr()).contains(token), "no token in the output");
            }
        }
    }

    @Test
    void aLongPassRenewsExpiringTokensWithoutAFailedRequest(@TempDir Path logs) throws Exception {
        try (Account account = new Account()) {
            FakeZendesk zendesk = account.zendesk;
            zendesk.tokenLifetime(Duration.ofSeconds(3));
            zendesk.responseDelay(Duration.ofMillis(200));
            zendesk.ticketPageSize(25);
            for (int i = 0; i < 1500; i++) zendesk.putTicket(i, Instant.now().minusSeconds(3000 - i), "open");
            Map<String, String> env = account.env();
            env.put("AUTH_MODE", "oauth_client_credentials");
            env.put("ZENDESK_OAUTH_CLIENT_ID", FakeZendesk.CLIENT_ID);
            env.put("ZENDESK_OAUTH_CLIENT_SECRET", FakeZendesk.CLIENT_SECRET);
            env.put("RESOURCES", "incremental_tickets");
            env.put("MAX_PAGES", "0");

            long start = System.nanoTime();
            RunnerJar.Result result = RunnerJar.run(env, logs, "once");
            double seconds = (System.nanoTime() - start) / 1e9;

            assertEquals(0, result.exitCode(), result.stdout() + result.stderr());
            JsonNode stream = new ObjectMapper().readTree(result.stdout()).at("/streams/0");
            assertEquals(1500, stream.get("records").asLong());
            assertEquals(0, stream.get("retries").asLong(), "no request had to be repeated");
            assertEquals(0, zendesk.expiredTokenRejections(), "no request was refused for an expired token");
            System.out.printf("oauth long pass: %d records, %d requests, %d tokens issued, 0 expired-token refusals, %.1f s%n",
                    stream.get("records").asLong(), stream.get("requests").asLong(), zendesk.tokensIssued(), seconds);
            assertTrue(zendesk.tokensIssued() >= 3, "renewed along the way: " + zendesk.tokensIssued() + " tokens in " + seconds + " s");
        }
    }
}
