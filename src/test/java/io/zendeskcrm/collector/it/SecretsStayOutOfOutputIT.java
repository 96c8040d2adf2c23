package io.zendeskcrm.collector.it;

import io.zendeskcrm.collector.support.Bucket;
import io.zendeskcrm.collector.support.CollectorTestResources;
import io.zendeskcrm.collector.support.FakeZendesk;
import io.zendeskcrm.collector.support.S3Server;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the packaged jar in every auth mode, succeeding and failing (401, 403, refused OAuth client,
 * unreachable Zendesk, S3 refusing or failing a write, bad configuration, a password in the Zendesk URL,
 * the refresh token stored under a KMS key), several of them with every
 * logger at DEBUG, and searches everything it printed for every secret value it was given or was
 * issued: none may appear.
 */
class SecretsStayOutOfOutputIT {
    static final String REMOVED_BUCKET = "zendesk-logs-removed-mid-run";

    /**
     * One run of {@code once}. The environment is computed when the run starts (tokens rotate); {@code before}
     * prepares the account and {@code after} checks the run.
     */
    record Case(String name, Supplier<Map<String, String>> env, int expectedExit, Runnable before,
                Consumer<RunnerJar.Result> after) {
        Case(String name, Map<String, String> env, int expectedExit) {
            this(name, () -> env, expectedExit, () -> { }, result -> { });
        }
    }

    @Test
    void noCredentialOrTokenAppearsInAnyOutput(@TempDir Path logs) throws Exception {
        try (Account account = new Account()) {
            S3Client s3 = account.s3.client();
            FakeZendesk zendesk = account.zendesk;
            zendesk.tokenLifetime(Duration.ofSeconds(2));
            zendesk.putTicket(1, Instant.now().minusSeconds(300), "open");
            zendesk.addAudit(2, Instant.now().minusSeconds(300), Instant.now().minusSeconds(300));
            Map<String, String> secrets = new LinkedHashMap<>();
            secrets.put(CollectorTestResources.API_TOKEN, "the API token");
            secrets.put(CollectorTestResources.AUTHORIZATION.substring("Basic ".length()), "the Basic credentials");
            secrets.put(FakeZendesk.CLIENT_SECRET, "the OAuth client secret");
            secrets.put(zendesk.currentRefreshToken(), "the seed refresh token");
            secrets.put(S3Server.SECRET_KEY, "the AWS secret access key");
            secrets.put("bearer-7f3e9c1a5d", "a rejected bearer token");
            secrets.put("cs-wrong-6a2b8c0d", "a refused client secret");
            secrets.put("tok-wrong-1e2d3c4b", "a rejected API token");
            secrets.put("url-pw-4c9e1f", "a password in a URL");
            secrets.put(Base64.getEncoder().encodeToString((CollectorTestResources.EMAIL + "/token:tok-wrong-1e2d3c4b")
                    .getBytes(StandardCharsets.UTF_8)), "rejected Basic credentials");
            String bearer = zendesk.issueAccessToken(Duration.ofMinutes(10));

            Map<String, String> token = account.env();
            Map<String, String> oauth = with(token, "AUTH_MODE", "oauth_client_credentials",
                    "ZENDESK_OAUTH_CLIENT_ID", FakeZendesk.CLIENT_ID, "ZENDESK_OAUTH_CLIENT_SECRET", FakeZendesk.CLIENT_SECRET);
            Map<String, String> refresh = with(oauth, "AUTH_MODE", "oauth_refresh_token",
                    "ZENDESK_OAUTH_REFRESH_TOKEN", zendesk.currentRefreshToken());
            List<Case> cases = new ArrayList<>();
            cases.add(new Case("token ok", token, 0));
            cases.add(new Case("token ok, DEBUG", debug(token), 0));
            cases.add(new Case("token rejected", with(token, "ZENDESK_API_TOKEN", "tok-wrong-1e2d3c4b"), 1));
            cases.add(new Case("token, DEBUG, S3 refuses connections", debug(with(token, "AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9")), 1));
            // Before any refresh_token grant: a refresh deletes every access token of the account.
            cases.add(new Case("bearer ok, DEBUG", debug(with(token, "AUTH_MODE", "bearer", "ZENDESK_BEARER_TOKEN", bearer)), 0));
            cases.add(new Case("bearer rejected", with(token, "AUTH_MODE", "bearer", "ZENDESK_BEARER_TOKEN", "bearer-7f3e9c1a5d"), 1));
            cases.add(new Case("client credentials ok", oauth, 0));
            cases.add(new Case("client credentials ok, DEBUG, JSON logs as in Lambda",
                    debug(with(oauth, "QUARKUS_LOG_CONSOLE_JSON_ENABLED", "true")), 0));
            cases.add(new Case("client credentials refused, DEBUG", debug(with(oauth, "ZENDESK_OAUTH_CLIENT_SECRET", "cs-wrong-6a2b8c0d")), 1));
            cases.add(new Case("refresh token ok", refresh, 0));
            cases.add(new Case("refresh token ok again (stored rotation)", refresh, 0));
            // The access token is kept between runs; revoked, it is answered 401 and the run refreshes.
            cases.add(new Case("refresh token ok, DEBUG: rotates and stores the new token", () -> debug(refresh), 0, zendesk::revokeAccessTokens,
                    result -> assertTrue(new String(account.bucket.bytes("zendesk/crm-state/oauth.json"), StandardCharsets.UTF_8)
                            .contains(zendesk.currentRefreshToken()), "the rotated refresh token was written to S3")));
            cases.add(new Case("refresh token ok, DEBUG: the rotated token written under a KMS key", () -> debug(with(refresh,
                    "OAUTH_STATE_KMS_KEY_ID", "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab")), 0,
                    zendesk::revokeAccessTokens, result -> assertTrue(new String(account.bucket.bytes("zendesk/crm-state/oauth.json"), StandardCharsets.UTF_8)
                            .contains(zendesk.currentRefreshToken()), "the rotated refresh token was written to S3")));
            AtomicBoolean removed = new AtomicBoolean();
            cases.add(new Case("refresh token, DEBUG: the bucket disappears before the rotated token is stored",
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
            cases.add(new Case("zendesk unreachable", with(token, "ZENDESK_BASE_URL", "http://localhost:9", "HTTP_RETRIES", "0"), 1));
            cases.add(new Case("bad setting", with(token, "HTTP_RETRIES", "many"), 2));
            cases.add(new Case("a password in ZENDESK_BASE_URL", with(token, "ZENDESK_BASE_URL",
                    "https://admin:url-pw-4c9e1f@acme.zendesk.com"), 2));
            cases.add(new Case("secret reference outside Lambda", with(token, "ZENDESK_API_TOKEN",
                    "arn:aws:secretsmanager:us-east-1:123456789012:secret:zendesk-AbCdEf"), 2));

            Map<String, String> outputs = new LinkedHashMap<>();
            for (int i = 0; i < cases.size(); i++) {
                Case c = cases.get(i);
                c.before().run();
                Map<String, String> env = c.env().get();
                RunnerJar.Result result = RunnerJar.run(env, logs.resolve("case" + i), "once");
                assertEquals(c.expectedExit(), result.exitCode(), c.name() + ":\n" + tail(result.stderr()));
                if (env.containsKey("QUARKUS_LOG_LEVEL")) {
                    assertTrue(result.stderr().contains("DEBUG"), c.name() + ": the root log level is DEBUG");
                }
                c.after().accept(result);
                outputs.put(c.name(), result.stdout() + result.stderr());
                Thread.sleep(100);
            }
            zendesk.everyTokenIssued().forEach(t -> secrets.putIfAbsent(t, t.startsWith("rt-")
                    ? "a rotated refresh token" : "an access token the fake issued"));
            assertTrue(zendesk.everyTokenIssued().size() >= 8, "the OAuth cases did get tokens: " + zendesk.everyTokenIssued().size());

            List<String> leaks = new ArrayList<>();
            outputs.forEach((name, output) -> secrets.forEach((value, label) -> {
                output.lines().filter(line -> line.contains(value)).limit(3)
                        .forEach(line -> leaks.add(name + ": " + label + " in: " + line.replace(value, "<" + label + ">")));
            }));
            assertEquals(List.of(), leaks, "secret values in the output of the runs (shown redacted)");
            assertTrue(outputs.get("client credentials refused, DEBUG").contains("ZENDESK_OAUTH_CLIENT_SECRET"),
                    "the refused-client error names the setting");
        }
    }

    /** Every logger at DEBUG, unless application.properties pins it. */
    private static Map<String, String> debug(Map<String, String> env) {
        return with(env, "QUARKUS_LOG_LEVEL", "DEBUG");
    }

    private static Map<String, String> with(Map<String, String> env, String... namesAndValues) {
        Map<String, String> copy = new HashMap<>(env);
        for (int i = 0; i < namesAndValues.length; i += 2) copy.put(namesAndValues[i], namesAndValues[i + 1]);
        return copy;
    }

    private static String tail(String output) {
        List<String> lines = output.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }
}
