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
