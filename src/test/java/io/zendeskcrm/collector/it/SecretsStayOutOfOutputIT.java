package io.zendeskcrm.collector.it;

import io.zendeskcrm.collector.support.CollectorTestResources;
import io.zendeskcrm.collector.support.FakeZendesk;
import io.zendeskcrm.collector.support.S3Server;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the packaged jar in every auth mode, succeeding and failing (401, 403, refused OAuth client,
 * unreachable Zendesk, bad configuration), and searches everything it printed for every secret value
 * it was given or was issued: none may appear.
 */
class SecretsStayOutOfOutputIT {

    record Case(String name, Map<String, String> env, int expectedExit) {}

    @Test
    void noCredentialOrTokenAppearsInAnyOutput(@TempDir Path logs) throws Exception {
        try (Account account = new Account()) {
            FakeZendesk zendesk = account.zendesk;
            zendesk.tokenLifetime(Duration.ofSeconds(2));
            zendesk.putTicket(1, Instant.now().minusSeconds(300), "open");
            zendesk.addAudit(2, Instant.now().minusSeconds(300), Instant.now().minusSeconds(300));
            Set<String> secrets = new HashSet<>(List.of(CollectorTestResources.API_TOKEN, FakeZendesk.CLIENT_SECRET,
                    zendesk.currentRefreshToken(), S3Server.SECRET_KEY, "bearer-7f3e9c1a5d", "cs-wrong-6a2b8c0d",
                    CollectorTestResources.AUTHORIZATION.substring("Basic ".length())));

            List<Case> cases = new ArrayList<>();
            cases.add(new Case("token ok", account.env(), 0));
            cases.add(new Case("token rejected", with(account.env(), "ZENDESK_API_TOKEN", "tok-wrong-1e2d3c4b"), 1));
            secrets.add("tok-wrong-1e2d3c4b");
            secrets.add(Base64.getEncoder().encodeToString((CollectorTestResources.EMAIL + "/token:tok-wrong-1e2d3c4b")
                    .getBytes(StandardCharsets.UTF_8)));
            cases.add(new Case("bearer rejected", with(with(account.env(), "AUTH_MODE", "bearer"), "ZENDESK_BEARER_TOKEN", "bearer-7f3e9c1a5d"), 1));
            Map<String, String> oauth = with(with(with(account.env(), "AUTH_MODE", "oauth_client_credentials"),
                    "ZENDESK_OAUTH_CLIENT_ID", FakeZendesk.CLIENT_ID), "ZENDESK_OAUTH_CLIENT_SECRET", FakeZendesk.CLIENT_SECRET);
            cases.add(new Case("client credentials ok", oauth, 0));
            cases.add(new Case("client credentials refused", with(oauth, "ZENDESK_OAUTH_CLIENT_SECRET", "cs-wrong-6a2b8c0d"), 1));
            Map<String, String> refresh = with(with(oauth, "AUTH_MODE", "oauth_refresh_token"),
                    "ZENDESK_OAUTH_REFRESH_TOKEN", zendesk.currentRefreshToken());
            cases.add(new Case("refresh token ok", refresh, 0));
            cases.add(new Case("refresh token ok again (stored rotation)", refresh, 0));
            cases.add(new Case("zendesk unreachable", with(with(account.env(), "ZENDESK_BASE_URL", "http://localhost:9"), "HTTP_RETRIES", "0"), 1));
            cases.add(new Case("bad setting", with(account.env(), "HTTP_RETRIES", "many"), 2));
            cases.add(new Case("secret reference outside Lambda", with(account.env(), "ZENDESK_API_TOKEN",
                    "arn:aws:secretsmanager:us-east-1:123456789012:secret:zendesk-AbCdEf"), 2));

            StringBuilder everything = new StringBuilder();
            for (int i = 0; i < cases.size(); i++) {
                Case c = cases.get(i);
                RunnerJar.Result result = RunnerJar.run(c.env(), logs.resolve("case" + i), "once");
                assertEquals(c.expectedExit(), result.exitCode(), c.name() + ": " + result.stdout());
                everything.append(result.stdout()).append(result.stderr());
                Thread.sleep(100);
            }
            secrets.addAll(zendesk.issuedAccessTokens());
            secrets.add(zendesk.currentRefreshToken());
            assertTrue(zendesk.tokensIssued() >= 3, "the OAuth cases did get tokens");
            for (String secret : secrets) {
                assertTrue(everything.indexOf(secret) < 0, "a secret value appears in the output of the runs");
            }
            assertTrue(everything.indexOf("ZENDESK_OAUTH_CLIENT_SECRET") >= 0, "the refused-client error names the setting");
        }
    }

    private static Map<String, String> with(Map<String, String> env, String name, String value) {
        Map<String, String> copy = new java.util.HashMap<>(env);
        copy.put(name, value);
        return copy;
    }
}
