package io.zendeskcrm.collector.support;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.zendeskcrm.collector.runner.Collector;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

/**
 * What every {@code @QuarkusTest} of the collector starts from: an empty bucket, a Zendesk with no
 * stubs and no data, the test clock at {@link TestClock#START}, no recorded waits.
 */
public abstract class CollectorComponentTest {
    public static final String TICKETS_PATH = "/api/v2/incremental/tickets/cursor.json";
    public static final String AUDIT_PATH = "/api/v2/audit_logs.json";
    public static final String ACCESS_PATH = "/api/v2/access_logs";
    public static final String STATE_KEY = "zendesk/crm-state/state.json";

    @Inject
    protected Collector collector;
    @Inject
    protected RecordingSleeper sleeper;
    @Inject
    protected TestClock clock;

    protected WireMockServer zendesk;
    protected FakeZendesk fake;
    protected Bucket bucket;

    @BeforeEach
    void resetWorld() {
        zendesk = CollectorTestResources.wireMock();
        zendesk.resetAll();
        fake = CollectorTestResources.fake();
        fake.reset();
        bucket = new Bucket(CollectorTestResources.s3().client(), CollectorTestResources.BUCKET);
        bucket.empty();
        sleeper.clear();
        clock.set(TestClock.START);
    }

    /** Lets the {@link FakeZendesk} answer the export, audit-log, access-log and token endpoints. */
    protected void serveFake() {
        zendesk.stubFor(get(urlPathEqualTo(TICKETS_PATH)).willReturn(aResponse().withTransformers(FakeZendesk.NAME)));
        zendesk.stubFor(get(urlPathEqualTo(AUDIT_PATH)).willReturn(aResponse().withTransformers(FakeZendesk.NAME)));
        zendesk.stubFor(get(urlPathEqualTo(ACCESS_PATH)).willReturn(aResponse().withTransformers(FakeZendesk.NAME)));
        zendesk.stubFor(post(urlPathEqualTo("/oauth/tokens")).willReturn(aResponse().withTransformers(FakeZendesk.NAME)));
    }
}
