package io.zendeskcrm.collector.support;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * Zendesk (WireMock with {@link FakeZendesk}) and S3 (S3Proxy) on free loopback ports, and the
 * collector's settings pointing at them.
 */
public class CollectorTestResources implements QuarkusTestResourceLifecycleManager {
    public static final String EMAIL = "agent@example.com";
    public static final String API_TOKEN = "tok-3f9a1c7e5b2d4f60a8e1";
    public static final String BUCKET = "zendesk-logs";
    public static final String AUTHORIZATION = "Basic " + Base64.getEncoder()
            .encodeToString((EMAIL + "/token:" + API_TOKEN).getBytes(StandardCharsets.UTF_8));

    private static WireMockServer wireMock;
    private static FakeZendesk fake;
    private static S3Server s3;

    @Override
    public Map<String, String> start() {
        try {
            fake = new FakeZendesk(TestClock::current, AUTHORIZATION);
            wireMock = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").extensions(fake));
            wireMock.start();
            s3 = new S3Server();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        // The AWS SDK's default credential and region chains read these.
        System.setProperty("aws.accessKeyId", S3Server.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", S3Server.SECRET_KEY);
        System.setProperty("aws.region", "us-east-1");
        return Map.of(
                "ZENDESK_BASE_URL", "http://localhost:" + wireMock.port(),
                "ZENDESK_EMAIL", EMAIL,
                "ZENDESK_API_TOKEN", API_TOKEN,
                "S3_BUCKET", BUCKET,
                "AWS_ENDPOINT_URL_S3", s3.endpoint().toString());
    }

    @Override
    public void stop() {
        if (wireMock != null) wireMock.stop();
        try {
            if (s3 != null) s3.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static WireMockServer wireMock() {
        return wireMock;
    }

    public static FakeZendesk fake() {
        return fake;
    }

    public static S3Server s3() {
        return s3;
    }
}
