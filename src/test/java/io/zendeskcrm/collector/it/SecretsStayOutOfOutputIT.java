package io.zendeskcrm.collector.it;

import io.zendeskcrm.collector.support.FakeZendesk;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.zendeskcrm.collector.it.LeakCheck.debug;
import static io.zendeskcrm.collector.it.LeakCheck.with;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the packaged jar with an API token, a bearer token and OAuth client credentials, succeeding and failing (401,
 * a refused OAuth client, unreachable Zendesk,
 * S3 refusing connections, bad configuration, a password in the Zendesk URL, a secret reference outside Lambda),
 * several of them with every logger at DEBUG, and searches everything it printed for every secret value it was
 * given or was issued: none may appear. A refresh token: {@link RefreshTokenSecretsStayOutOfOutputIT}.
 */
class SecretsStayOutOfOutputIT {
    @Test
    void noCredentialOrTokenAppearsInAnyOutput(@TempDir Path logs) throws Exception {
        try (Account account = new Account()) {
            account.zendesk.putTicket(1, Instant.now().minusSeconds(300), "open");
            account.zendesk.addAudit(2, Instant.now().minusSeconds(300), Instant.now().minusSeconds(300));
            account.zendesk.tokenLifetime(Duration.ofSeconds(2));
            LeakCheck check = new LeakCheck(account);
            String bearer = account.zendesk.issueAccessToken(Duration.ofMinutes(10));

            Map<String, String> token = account.env();
            List<LeakCheck.Case> cases = new ArrayList<>();
            cases.add(new LeakCheck.Case("token ok", token, 0));
            cases.add(new LeakCheck.Case("token ok, DEBUG", debug(token), 0));
            cases.add(new LeakCheck.Case("token rejected", with(token, "ZENDESK_API_TOKEN", LeakCheck.REJECTED_API_TOKEN), 1));
            cases.add(new LeakCheck.Case("token, DEBUG, S3 refuses connections", debug(with(token, "AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9")), 1));
            cases.add(new LeakCheck.Case("bearer ok, DEBUG", debug(with(token, "AUTH_MODE", "bearer", "ZENDESK_BEARER_TOKEN", bearer)), 0));
            cases.add(new LeakCheck.Case("bearer rejected", with(token, "AUTH_MODE", "bearer", "ZENDESK_BEARER_TOKEN", LeakCheck.REJECTED_BEARER), 1));
            Map<String, String> oauth = with(token, "AUTH_MODE", "oauth_client_credentials",
                    "ZENDESK_OAUTH_CLIENT_ID", FakeZendesk.CLIENT_ID, "ZENDESK_OAUTH_CLIENT_SECRET", FakeZendesk.CLIENT_SECRET);
            cases.add(new LeakCheck.Case("client credentials ok", oauth, 0));
            cases.add(new LeakCheck.Case("client credentials ok, DEBUG, JSON logs as in Lambda",
                    debug(with(oauth, "QUARKUS_LOG_CONSOLE_JSON_ENABLED", "true")), 0));
            Map<String, String> refused = debug(with(oauth, "ZENDESK_OAUTH_CLIENT_SECRET", LeakCheck.REFUSED_CLIENT_SECRET));
            cases.add(new LeakCheck.Case("client credentials refused, DEBUG", () -> refused, 1,
                    () -> { }, result -> assertTrue((result.stdout() + result.stderr()).contains("ZENDESK_OAUTH_CLIENT_SECRET"),
                            "the refused-client error names the setting:\n" + result.stdout() + result.stderr())));
            cases.add(new LeakCheck.Case("zendesk unreachable", with(token, "ZENDESK_BASE_URL", "http://localhost:9", "HTTP_RETRIES", "0"), 1));
            cases.add(new LeakCheck.Case("bad setting", with(token, "HTTP_RETRIES", "many"), 2));
            cases.add(new LeakCheck.Case("a password in ZENDESK_BASE_URL", with(token, "ZENDESK_BASE_URL",
                    "https://admin:" + LeakCheck.URL_PASSWORD + "@acme.zendesk.com"), 2));
            cases.add(new LeakCheck.Case("secret reference outside Lambda", with(token, "ZENDESK_API_TOKEN",
                    "arn:aws:secretsmanager:us-east-1:123456789012:secret:zendesk-AbCdEf"), 2));

            check.run(cases, logs);
            assertTrue(account.zendesk.everyTokenIssued().size() >= 3, "the OAuth cases did get tokens: " + account.zendesk.everyTokenIssued().size());
            check.assertNothingLeaked();
        }
    }
}
