package io.zendeskcrm.collector.support;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * An HTTP proxy in front of {@link S3Server} that records what the collector sends S3 (headers such as
 * SSE-KMS), on a free loopback port. The Host header is passed on unchanged, so signatures still match.
 */
public final class RecordingS3Proxy implements AutoCloseable {
    private final WireMockServer proxy = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").preserveHostHeader(true));

    private final String target;

    public RecordingS3Proxy(S3Server s3) {
        proxy.start();
        target = s3.endpoint().toString();
        proxy.stubFor(any(anyUrl()).willReturn(aResponse().proxiedFrom(target)));
    }

    public String url() {
        return "http://127.0.0.1:" + proxy.port();
    }

    /** The PUT requests of an object ({@code bucket/key}), oldest first. */
    public List<LoggedRequest> puts(String bucketAndKey) {
        return proxy.findAll(com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor(anyUrl())).stream()
                .filter(r -> RequestMethod.PUT.equals(r.getMethod()) && r.getUrl().replaceAll("\\?.*$", "").equals("/" + bucketAndKey))
                .toList();
    }

    /** The methods of the requests for an object ({@code bucket/key}), oldest first. */
    public List<String> methods(String bucketAndKey) {
        return proxy.findAll(com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor(anyUrl())).stream()
                .filter(r -> r.getUrl().replaceAll("\\?.*$", "").equals("/" + bucketAndKey)).map(r -> r.getMethod().getName())
                .toList();
    }

    /** Every request, oldest first. */
    public List<LoggedRequest> requests() {
        return proxy.findAll(com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor(anyUrl()));
    }

    /** Every PUT request, oldest first. */
    public List<LoggedRequest> puts() {
        return proxy.findAll(com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor(anyUrl())).stream()
                .filter(r -> RequestMethod.PUT.equals(r.getMethod())).toList();
    }

    public String all() { return proxy.getAllServeEvents().stream().map(e -> e.getRequest().getMethod() + " " + e.getRequest().getUrl()).toList().toString(); }

    /** From now on every PUT of the object ({@code bucket/key}) is answered 500, as by an S3 in trouble. */
    public void failPuts(String bucketAndKey) {
        proxy.stubFor(com.github.tomakehurst.wiremock.client.WireMock.put(com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/" + bucketAndKey))
                .atPriority(1).willReturn(aResponse().withStatus(500).withHeader("Content-Type", "application/xml")
                        .withBody("<Error><Code>InternalError</Code><Message>We encountered an internal error.</Message></Error>")));
    }

    /** From now on every PUT of the object ({@code bucket/key}) is denied (403 AccessDenied), as by a role without s3:PutObject on it. */
    public void denyPuts(String bucketAndKey) {
        proxy.stubFor(com.github.tomakehurst.wiremock.client.WireMock.put(com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/" + bucketAndKey))
                .atPriority(1).willReturn(aResponse().withStatus(403).withHeader("Content-Type", "application/xml")
                        .withBody("<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>")));
    }

    /** PUTs reach S3 again. */
    public void healPuts() {
        proxy.resetMappings();
        proxy.stubFor(any(anyUrl()).willReturn(aResponse().proxiedFrom(target)));
    }

    public void forget() {
        proxy.resetRequests();
    }

    @Override
    public void close() {
        proxy.stop();
    }
}
