package io.zendeskcrm.collector.runner;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.zendeskcrm.collector.support.CollectorComponentTest;
import io.zendeskcrm.collector.support.CollectorTestResources;
import io.zendeskcrm.collector.support.TestClock;
import io.zendeskcrm.collector.support.TestSettings;
import java.time.Duration;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The daily reconcile's event, as the template's schedule sends it, through Quarkus's mock event server. */
@QuarkusTest
@QuarkusTestResource(CollectorTestResources.class)
class ReconcileLambdaTest extends CollectorComponentTest {
    private static String eventServer() {
        return "http://" + ConfigProvider.getConfig().getValue("quarkus-internal.aws-lambda.test-api", String.class);
    }

    @Test
    void aReconcileEventReportsAndRepairsWhatADeletedObjectHeld() {
        serveFake();
        for (int i = 0; i < 120; i++) fake.addAudit(1000 + i, TestClock.START.minusSeconds(3000 - i * 10), TestClock.START.minusSeconds(3000 - i * 10));
        assertTrue(collector.run(TestSettings.with("RESOURCES", "audit_logs")).ok());
        clock.advance(Duration.ofMinutes(10));
        assertTrue(collector.run(TestSettings.with("RESOURCES", "audit_logs")).ok());
        String deleted = bucket.keys("zendesk/crm/audit_logs/").get(1);
        int lost = io.zendeskcrm.collector.support.Bucket.decode(deleted, bucket.bytes(deleted)).size();
        CollectorTestResources.s3().client().deleteObject(b -> b.bucket(CollectorTestResources.BUCKET).key(deleted));

        RestAssured.given().contentType("application/json").body("{\"reconcile\":{\"since\":\"3d\",\"repair\":true}}")
                .when().post(eventServer())
                .then().statusCode(200)
                .body("ok", equalTo(true))
                .body("streams[0].stream", equalTo("audit_logs"))
                .body("streams[0].missing", equalTo(lost))
                .body("streams[0].repaired", equalTo(lost))
                .body("streams[1].stream", equalTo("incremental_tickets"))
                .body("streams[1].missing", equalTo(0));

        assertEquals(120, bucket.records("zendesk/crm/audit_logs/").size());
    }

    @jakarta.inject.Inject
    CollectorLambda lambda;

    /**
     * The invocation has 120 s left and keeps LAMBDA_TIME_MARGIN_SECONDS (90) free; each request to Zendesk takes
     * 20 s. Reconcile compares the first two days of audit records, then says where it stopped: the report
     * counts what it compared and no more, the stream that had no time says it checked nothing, and the
     * invocation fails with the same words.
     */
    @Test
    void aReconcileThatRunsOutOfTimeReportsWhatItCheckedAndSaysSo() {
        serveFake();
        java.time.Instant since = TestClock.START.minus(Duration.ofDays(3));
        for (int day = 0; day < 3; day++) {
            for (int i = 0; i < 10; i++) {
                java.time.Instant at = since.plus(Duration.ofDays(day)).plusSeconds(3600 + i * 60L);
                fake.addAudit(100L * day + i, at, at);
            }
        }
        fake.onRequest(() -> clock.advance(Duration.ofSeconds(20)));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream stdout = System.out;
        RuntimeException failed;
        System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            failed = org.junit.jupiter.api.Assertions.assertThrows(CollectorLambda.CollectionFailedException.class,
                    () -> lambda.handleRequest(new ScheduledEvent(null, null, null, null, null, new ScheduledEvent.Reconcile("3d", null, true), null),
                            context(120_000)));
        } finally {
            System.setOut(stdout);
        }

        String json = out.toString(java.nio.charset.StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("{\"ok\""))
                .findFirst().orElseThrow(() -> new AssertionError(out.toString()));
        var tree = io.restassured.path.json.JsonPath.from(json);
        assertEquals("audit_logs", tree.getString("streams[0].stream"));
        assertEquals("2026-11-17T12:00:01Z", tree.getString("streams[0].from"));
        assertEquals("2026-11-18T23:59:59Z", tree.getString("streams[0].to"));
        assertEquals(false, tree.getBoolean("streams[0].complete"));
        assertEquals(20, tree.getInt("streams[0].in_zendesk"), json);
        assertEquals(20, tree.getInt("streams[0].missing"), json);
        assertEquals(20, tree.getInt("streams[0].repaired"), json);
        String auditStopped = "audit_logs: ran out of time after checking up to 2026-11-18T23:59:59Z; run again with --since"
                + " 2026-11-19T00:00:00Z";
        assertEquals(auditStopped, tree.getString("streams[0].error"));
        assertEquals(0, tree.getInt("streams[1].in_zendesk"), json);
        String ticketsStopped = "incremental_tickets: ran out of time after checking nothing; run again with --since 2026-11-17T12:00:01Z";
        assertEquals(ticketsStopped, tree.getString("streams[1].error"));
        assertEquals(auditStopped + "; " + ticketsStopped, failed.getMessage());
        assertEquals(20, bucket.records("zendesk/crm/audit_logs/").size(), "the repair of the two days checked, no more");
    }

    private static com.amazonaws.services.lambda.runtime.Context context(int remainingMillis) {
        return (com.amazonaws.services.lambda.runtime.Context) java.lang.reflect.Proxy.newProxyInstance(
                ReconcileLambdaTest.class.getClassLoader(), new Class<?>[] {com.amazonaws.services.lambda.runtime.Context.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getRemainingTimeInMillis" -> remainingMillis;
                    case "getFunctionName" -> "zendesk-crm-collector";
                    case "getMemoryLimitInMB" -> 512;
                    default -> null;
                });
    }

    @Test
    void emfLinesCarryMissingRepairedAndDuplicatedPerStreamAndPerFunction() {
        var report = new io.zendeskcrm.collector.reconcile.ReconcileReport(java.util.List.of(
                new io.zendeskcrm.collector.reconcile.StreamReport("audit_logs", "a", "b", 10, 7, 3, 1, 2,
                        java.util.List.of(), java.util.List.of(), java.util.List.of(), null, null)));

        var lines = ReconcileMetrics.emf(report, "fn", TestClock.START);

        assertEquals(java.util.List.of("{\"_aws\":{\"Timestamp\":" + TestClock.START.toEpochMilli() + ",\"CloudWatchMetrics\":[{"
                + "\"Namespace\":\"ZendeskCrmCollector\",\"Dimensions\":[[\"FunctionName\",\"Stream\"],[\"FunctionName\"]],"
                + "\"Metrics\":[{\"Name\":\"MissingRecords\",\"Unit\":\"Count\"},{\"Name\":\"RepairedRecords\",\"Unit\":\"Count\"},"
                + "{\"Name\":\"DuplicatedRecords\",\"Unit\":\"Count\"}]}]},\"FunctionName\":\"fn\",\"Stream\":\"audit_logs\","
                + "\"MissingRecords\":3,\"RepairedRecords\":2,\"DuplicatedRecords\":1}"), lines);
    }
}
