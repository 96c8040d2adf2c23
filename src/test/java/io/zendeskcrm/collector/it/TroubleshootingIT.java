package io.zendeskcrm.collector.it;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.zendeskcrm.collector.support.ReadmeTroubleshooting;
import io.zendeskcrm.collector.support.ReadmeTroubleshooting.Row;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's Troubleshooting table says what the collector prints: each mistake is made with the packaged
 * jar and the row's message must appear in what it printed, with the documented exit status. (The Lambda
 * row is checked by runner.LambdaTroubleshootingTest: a JVM jar has no Lambda poll loop.)
 */
class TroubleshootingIT {
    private static final String TICKETS = "/api/v2/incremental/tickets/cursor.json";
    private static final String AUDIT = "/api/v2/audit_logs.json";

    /** A mistake: how to make it, from the working environment, and the exit status it gets. */
    record Mistake(UnaryOperator<Map<String, String>> env, int exit, Runnable before, String[] args) {}

    @Test
    void everyRowsMessageIsWhatTheCollectorPrints(@TempDir Path logs) throws Exception {
        try (Account account = new Account(); DeniedS3 denied = new DeniedS3()) {
            account.zendesk.putTicket(1, Instant.now().minusSeconds(300), "open");
            account.zendesk.addAudit(2, Instant.now().minusSeconds(300), Instant.now().minusSeconds(300));
            Map<String, Mistake> mistakes = new LinkedHashMap<>();
            mistakes.put("incremental_tickets: Zendesk answered 404", new Mistake(env -> with(env, "RESOURCES", "incremental_tickets"), 1,
                    () -> account.wireMock.stubFor(get(urlPathEqualTo(TICKETS)).atPriority(1).willReturn(aResponse().withStatus(404))),
                    new String[] {"once"}));
            mistakes.put("incremental_tickets: Zendesk answered 200 with an HTML page", new Mistake(
                    env -> with(env, "RESOURCES", "incremental_tickets"), 1,
                    () -> account.wireMock.stubFor(get(urlPathEqualTo(TICKETS)).atPriority(1).willReturn(aResponse().withStatus(200)
                            .withHeader("Content-Type", "text/html").withBody("<!DOCTYPE html><html><title>Sign in</title></html>"))),
                    new String[] {"once"}));
            mistakes.put("…: Zendesk answered 401", new Mistake(env -> with(env, "ZENDESK_API_TOKEN", "tok-mistyped"), 1, () -> { },
                    new String[] {"once"}));
            mistakes.put("audit_logs: Zendesk answered 403", new Mistake(env -> with(env, "RESOURCES", "audit_logs"), 1,
                    () -> account.wireMock.stubFor(get(urlPathEqualTo(AUDIT)).atPriority(1).willReturn(aResponse().withStatus(403)
                            .withBody("{\"error\":\"Forbidden\",\"description\":\"You do not have access to this page.\"}"))),
                    new String[] {"once"}));
            mistakes.put("configuration error: AWS_REGION", new Mistake(env -> {
                Map<String, String> e = with(env, "HOME", logs.resolve("no-home").toString(), "AWS_EC2_METADATA_DISABLED", "true");
                e.remove("AWS_REGION");
                e.remove("AWS_ENDPOINT_URL_S3");
                return e;
            }, 2, () -> { }, new String[] {"once"}));
            mistakes.put("the bucket … does not exist", new Mistake(env -> with(env, "S3_BUCKET", "zendesk-logs-mistyped"), 1, () -> { },
                    new String[] {"once"}));
            mistakes.put("access to s3://… was denied", new Mistake(env -> with(env, "AWS_ENDPOINT_URL_S3", denied.url()), 1, () -> { },
                    new String[] {"once"}));
            mistakes.put("STATE_KEY (…) lies inside S3_PREFIX", new Mistake(env -> with(env, "STATE_KEY", "zendesk/crm/state.json"), 0,
                    () -> { }, new String[] {"once"}));
            mistakes.put("configuration error: SCHEDULE", new Mistake(env -> with(env, "SCHEDULE", "every hour"), 2, () -> { },
                    new String[0]));
            mistakes.put("configuration error: ZENDESK_BASE_URL (http://…) must use https", new Mistake(
                    env -> with(env, "ZENDESK_BASE_URL", "http://acme.zendesk.com"), 2, () -> { }, new String[] {"once"}));
            mistakes.put("the checkpoint at … is unreadable", new Mistake(env -> env, 1,
                    () -> account.bucket.put("zendesk/crm-state/state.json", "{\"streams\":".getBytes()), new String[] {"once"}));

            List<Row> rows = ReadmeTroubleshooting.rows();
            assertEquals(11, rows.size(), "the likeliest mistakes");
            List<String> unchecked = new ArrayList<>();
            int run = 0;
            for (Row row : rows) {
                for (String message : row.messages()) {
                    Map.Entry<String, Mistake> mistake = mistakes.entrySet().stream().filter(m -> message.startsWith(m.getKey()))
                            .findFirst().orElse(null);
                    if (mistake == null) {
                        unchecked.add(message);
                        continue;
                    }
                    account.zendesk.reset();
                    account.bucket.empty();
                    account.wireMock.resetToDefaultMappings();
                    account.wireMock.stubFor(get(urlPathEqualTo(TICKETS)).willReturn(aResponse().withTransformers("fake-zendesk")));
                    account.wireMock.stubFor(get(urlPathEqualTo(AUDIT)).willReturn(aResponse().withTransformers("fake-zendesk")));
                    account.zendesk.putTicket(1, Instant.now().minusSeconds(300), "open");
                    mistake.getValue().before().run();
                    RunnerJar.Result result = RunnerJar.run(mistake.getValue().env().apply(account.env()),
                            logs.resolve("run" + run++), mistake.getValue().args());
                    String output = result.stderr() + result.stdout();
                    assertEquals(mistake.getValue().exit(), result.exitCode(), message + "\n" + output);
                    assertTrue(Row.printed(message, result.stderr()), "README says\n  " + message + "\nbut the collector printed\n"
                            + result.stderr());
                    assertFalse(output.contains("\tat "), "an expected failure prints no stack trace:\n" + output);
                }
            }
            assertEquals(List.of(), unchecked.stream().filter(m -> !m.startsWith("LAMBDA_TIME_MARGIN_SECONDS")).toList(),
                    "every row but the Lambda one is checked here");
        }
    }

    private static Map<String, String> with(Map<String, String> env, String... pairs) {
        Map<String, String> copy = new java.util.HashMap<>(env);
        for (int i = 0; i < pairs.length; i += 2) copy.put(pairs[i], pairs[i + 1]);
        return copy;
    }

    /** An S3 endpoint that denies everything, answering as S3 does (403 AccessDenied). */
    static final class DeniedS3 implements AutoCloseable {
        final WireMockServer server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));

        DeniedS3() {
            server.start();
            server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(403).withHeader("Content-Type", "application/xml")
                    .withBody("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>AccessDenied</Code><Message>Access Denied"
                            + "</Message><RequestId>R1</RequestId><HostId>H1</HostId></Error>")));
        }

        String url() {
            return "http://127.0.0.1:" + server.port();
        }

        @Override
        public void close() {
            server.stop();
        }
    }
}
