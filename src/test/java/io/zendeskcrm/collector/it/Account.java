package io.zendeskcrm.collector.it;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.zendeskcrm.collector.support.Bucket;
import io.zendeskcrm.collector.support.CollectorTestResources;
import io.zendeskcrm.collector.support.FakeZendesk;
import io.zendeskcrm.collector.support.S3Server;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/** A fake Zendesk account on the wall clock and a real S3 server, for runs of the packaged jar. */
final class Account implements AutoCloseable {
    final FakeZendesk zendesk = new FakeZendesk(Instant::now, CollectorTestResources.AUTHORIZATION);
    final WireMockServer wireMock = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1")
            .containerThreads(20).extensions(zendesk));
    final S3Server s3;
    final Bucket bucket;

    Account() throws Exception {
        wireMock.start();
        wireMock.stubFor(get(urlPathEqualTo("/api/v2/incremental/tickets/cursor.json")).willReturn(aResponse().withTransformers(FakeZendesk.NAME)));
        wireMock.stubFor(get(urlPathEqualTo("/api/v2/audit_logs.json")).willReturn(aResponse().withTransformers(FakeZendesk.NAME)));
        wireMock.stubFor(get(urlPathEqualTo("/api/v2/access_logs")).willReturn(aResponse().withTransformers(FakeZendesk.NAME)));
        wireMock.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlPathEqualTo("/oauth/tokens"))
                .willReturn(aResponse().withTransformers(FakeZendesk.NAME)));
        s3 = new S3Server();
        bucket = new Bucket(s3.client(), CollectorTestResources.BUCKET);
        bucket.empty();
    }

    /** The environment a user would set: the reference Lambda's variable names. */
    Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("S3_BUCKET", CollectorTestResources.BUCKET);
        env.put("ZENDESK_BASE_URL", "http://localhost:" + wireMock.port());
        env.put("AUTH_MODE", "token");
        env.put("ZENDESK_EMAIL", CollectorTestResources.EMAIL);
        env.put("ZENDESK_API_TOKEN", CollectorTestResources.API_TOKEN);
        env.put("AWS_ENDPOINT_URL_S3", s3.endpoint().toString());
        env.put("AWS_ACCESS_KEY_ID", S3Server.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", S3Server.SECRET_KEY);
        env.put("AWS_REGION", "us-east-1");
        return env;
    }

    @Override
    public void close() throws Exception {
        wireMock.stop();
        s3.close();
    }
}
