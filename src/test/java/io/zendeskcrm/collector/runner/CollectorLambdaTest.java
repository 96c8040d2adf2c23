package io.zendeskcrm.collector.runner;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.zendeskcrm.collector.support.CollectorComponentTest;
import io.zendeskcrm.collector.support.CollectorTestResources;
import io.zendeskcrm.collector.support.FakeZendesk;
import io.zendeskcrm.collector.support.TestClock;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The Lambda handler invoked the way Lambda does it, through Quarkus's mock event server. */
@QuarkusTest
@QuarkusTestResource(CollectorTestResources.class)
class CollectorLambdaTest extends CollectorComponentTest {
    private static String eventServer() {
        return "http://" + ConfigProvider.getConfig().getValue("quarkus-internal.aws-lambda.test-api", String.class);
    }

    private static String scheduledEvent() throws Exception {
        return Files.readString(Path.of("deploy/events/scheduled.json"));
    }

    @Test
    void aScheduledInvocationRunsOnePassAndReturnsTheSummary() throws Exception {
        serveFake();
        for (int i = 0; i < 3; i++) fake.putTicket(i, TestClock.START.minusSeconds(300 + i), "open");
        fake.addAudit(9, TestClock.START.minusSeconds(900), TestClock.START.minusSeconds(900));

        RestAssured.given().contentType("application/json").body(scheduledEvent())
                .when().post(eventServer())
                .then().statusCode(200)
                .body("ok", equalTo(true))
                .body("streams[0].stream", equalTo("audit_logs"))
                .body("streams[0].records", equalTo(1))
                .body("streams[1].stream", equalTo("incremental_tickets"))
                .body("streams[1].records", equalTo(3));

        assertEquals(4, bucket.records("zendesk/crm/").size());
    }

    @Test
    void aFailedStreamFailsTheInvocationWithItsMessage() throws Exception {
        zendesk.stubFor(get(urlPathEqualTo("/api/v2/audit_logs.json")).willReturn(aResponse().withStatus(403)));
        zendesk.stubFor(get(urlPathEqualTo("/api/v2/incremental/tickets/cursor.json")).willReturn(aResponse().withTransformers(FakeZendesk.NAME)));

        RestAssured.given().contentType("application/json").body(scheduledEvent())
                .when().post(eventServer())
                .then().statusCode(500)
                .body("errorMessage", containsString("audit_logs: Zendesk answered 403"));
    }
}
