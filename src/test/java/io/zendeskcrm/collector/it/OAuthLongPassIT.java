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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged jar with {@code oauth_client_credentials} against a Zendesk whose access tokens expire
 * every 3 seconds (real time), over a pass of about 15 seconds: tokens are renewed as needed and no
 * request fails because one had expired.
 */
class OAuthLongPassIT {
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
