package io.zendeskcrm.collector;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.zendeskcrm.collector.support.CollectorComponentTest;
import io.zendeskcrm.collector.support.CollectorTestResources;
import io.zendeskcrm.collector.support.FakeZendesk;
import io.zendeskcrm.collector.support.TestSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each way a request can fail without an answer is named, on real sockets: a closed port, a name that
 * does not resolve, a plain-http server behind an https URL, a server that accepts and never answers.
 * Regression: all four said "an I/O error (ProcessingException)".
 */
@QuarkusTest
@QuarkusTestResource(CollectorTestResources.class)
class NetworkFailuresTest extends CollectorComponentTest {

    private String error(String baseUrl, String... more) {
        String[] settings = new String[6 + more.length];
        System.arraycopy(new String[] {"ZENDESK_BASE_URL", baseUrl, "RESOURCES", "incremental_tickets", "HTTP_RETRIES", "1"},
                0, settings, 0, 6);
        System.arraycopy(more, 0, settings, 6, more.length);
        RunSummary summary = collector.run(TestSettings.with(settings));
        assertFalse(summary.ok());
        String error = summary.streams().get(0).error();
        assertTrue(error.startsWith("incremental_tickets: Zendesk request at start_time "), error);
        assertTrue(error.contains(" failed after 2 attempts; last failure: "), error);
        assertTrue(error.endsWith(" (HTTP_RETRIES=1)"), error);
        return error.substring(error.indexOf("last failure: ") + "last failure: ".length(), error.length() - " (HTTP_RETRIES=1)".length());
    }

    @Test
    void aClosedPortIsConnectionRefused() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        assertEquals("connection refused by localhost/127.0.0.1:" + port + " (ConnectException): nothing listens there;"
                + " check ZENDESK_BASE_URL", error("http://localhost:" + port));
    }

    @Test
    void aNameThatDoesNotResolveIsDnsNameNotFound() {
        assertEquals("DNS name not found: zendesk-crm-collector-test.invalid (UnknownHostException); check the subdomain in"
                + " ZENDESK_BASE_URL", error("https://zendesk-crm-collector-test.invalid"));
    }

    @Test
    void aPlainHttpServerBehindAnHttpsUrlIsATlsHandshakeFailure() {
        // WireMock serves plain http on its port.
        assertEquals("TLS handshake failed: the server answered without TLS (is it http? ZENDESK_BASE_URL must be the https"
                + " address of the account)", error("https://localhost:" + zendesk.port()));
    }

    /** A redirect is not followed (the credentials would go along), and the message says where to look. */
    @Test
    void aRedirectIsNotFollowedAndPointsAtTheBaseUrl() {
        zendesk.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo(TICKETS_PATH))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(301)
                        .withHeader("Location", "https://www.zendesk.com/")));

        RunSummary summary = collector.run(TestSettings.with("RESOURCES", "incremental_tickets"));

        String error = summary.streams().get(0).error();
        assertTrue(error.matches("incremental_tickets: Zendesk answered 301 at start_time \\d+: redirected elsewhere \\(not followed,"
                + " so the credentials go nowhere else\\); check ZENDESK_BASE_URL \\(https://<subdomain>\\.zendesk\\.com\\)"), error);
        assertEquals(1, zendesk.getAllServeEvents().size(), "asked once, not followed");
    }

    @Test
    void aServerThatNeverAnswersTimesOutAfterHttpTimeout() throws Exception {
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0)) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) held.add(silent.accept()); // and never a byte back
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            assertEquals("timed out after 1 s waiting for the answer (HTTP_TIMEOUT)",
                    error("http://localhost:" + silent.getLocalPort(), "HTTP_TIMEOUT", "1"));
            assertEquals("timed out after 1 s connecting (or in the TLS handshake) (HTTP_TIMEOUT)",
                    error("https://localhost:" + silent.getLocalPort(), "HTTP_TIMEOUT", "1"));
            assertEquals(4, held.size(), "two attempts each, every one accepted and left unanswered");
        } finally {
            for (Socket s : held) s.close();
        }
    }

    @Test
    void aConnectionClosedBeforeTheWholeAnswerSaysSo() throws Exception {
        try (ServerSocket rude = new ServerSocket(0)) {
            Thread closer = new Thread(() -> {
                try {
                    while (true) {
                        try (Socket s = rude.accept(); InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                            in.read(new byte[4096]);
                            out.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"tic".getBytes(StandardCharsets.US_ASCII));
                        }
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            closer.setDaemon(true);
            closer.start();
            assertEquals("an I/O error (HttpClosedException: Connection was closed)", error("http://localhost:" + rude.getLocalPort()));
        }
    }
    /** Regression: a sign-in or proxy page answered with 200 was "a truncated or unparsable response body", retried. */
    @Test
    void anHtmlPageIsNamedOnceAndNotRetried() {
        serveFake();
        fake.putTicket(1, clock.instant().minusSeconds(600), "open");
        fake.failNext(FakeZendesk.Fault.HTML_PAGE);

        RunSummary summary = collector.run(TestSettings.with("RESOURCES", "incremental_tickets", "HTTP_RETRIES", "3"));

        assertFalse(summary.ok());
        String error = summary.streams().get(0).error();
        assertTrue(error.matches("incremental_tickets: Zendesk answered 200 with an HTML page, not JSON, at start_time \\d+: is"
                + " ZENDESK_BASE_URL the API host \\(https://<subdomain>\\.zendesk\\.com\\)\\? a proxy or sign-in page\\?"), error);
        assertEquals(1, fake.requests(), "asked once: asking again gets the same page");
        assertEquals(0, summary.streams().get(0).retries());
        assertEquals(List.of(), bucket.keys("zendesk/crm/"));
    }

    /** An HTML page that says it is JSON is known by its first byte. */
    @Test
    void anHtmlPageLabelledAsJsonIsStillAnHtmlPage() {
        zendesk.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo(AUDIT_PATH))
                .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(200)
                        .withHeader("Content-Type", "application/json").withBody("\r\n  <html><body>Service unavailable</body></html>")));

        RunSummary summary = collector.run(TestSettings.with("RESOURCES", "audit_logs"));

        String error = summary.streams().get(0).error();
        assertTrue(error.startsWith("audit_logs: Zendesk answered 200 with an HTML page, not JSON, at window "), error);
        assertEquals(1, zendesk.getAllServeEvents().size());
    }

    /** Regression: bytes that are not UTF-8 were retried as unparsable, and the stream stuck at that page on every run. */
    @Test
    void bytesThatAreNotUtf8AreNamedWithTheirPlaceAndNotRetried() {
        serveFake();
        fake.putTicket(1, clock.instant().minusSeconds(600), "open");
        fake.failNext(FakeZendesk.Fault.NOT_UTF8);

        RunSummary summary = collector.run(TestSettings.with("RESOURCES", "incremental_tickets", "HTTP_RETRIES", "3"));

        String error = summary.streams().get(0).error();
        assertTrue(error.matches("incremental_tickets: Zendesk answered 200 with bytes that are not UTF-8 \\(at byte 27 of the answer,"
                + " in record 0\\), at start_time \\d+; nothing of the answer is written, and the next run asks again"), error);
        assertEquals(1, fake.requests());
        assertEquals(List.of(), bucket.keys("zendesk/crm/"));
    }
}
