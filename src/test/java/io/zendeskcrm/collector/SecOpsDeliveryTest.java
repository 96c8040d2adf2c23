package io.zendeskcrm.collector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.api.client.http.javanet.NetHttpTransport;
import io.zendeskcrm.collector.CollectorJobTest.ListStream;
import io.zendeskcrm.collector.CollectorJobTest.MemorySink;
import io.zendeskcrm.collector.CollectorJobTest.MemoryStore;
import io.zendeskcrm.collector.checkpoint.FencedCheckpoint;
import io.zendeskcrm.collector.config.SecOps;
import io.zendeskcrm.collector.deliver.AccessTokens;
import io.zendeskcrm.collector.deliver.ChronicleImport;
import io.zendeskcrm.collector.deliver.Delivery;
import io.zendeskcrm.collector.deliver.DeliveryException;
import io.zendeskcrm.collector.sink.NdjsonEncoder;
import io.zendeskcrm.collector.stream.Deadline;
import io.zendeskcrm.collector.support.FakeGoogle;
import io.zendeskcrm.collector.support.RecordingSleeper;
import io.zendeskcrm.collector.support.TestClock;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Direct delivery to SecOps: against a local token exchange, AWS metadata and logs:import, with the job's in-memory store and sink. */
class SecOpsDeliveryTest {
    final TestClock clock = new TestClock();
    final FakeGoogle google = new FakeGoogle();
    final RecordingSleeper sleeper = new RecordingSleeper();
    final CollectorJobTest jobs = new CollectorJobTest();

    {
        clock.set(TestClock.START);
    }

    @AfterEach
    void stop() {
        google.close();
    }

    SecOps secOps() {
        return new SecOps(FakeGoogle.INSTANCE, google.endpoint(), google.credentialConfig(), "the test configuration");
    }

    Delivery delivery(MemorySink sink) {
        SecOps secOps = secOps();
        NetHttpTransport transport = FakeGoogle.transport();
        ChronicleImport chronicle = new ChronicleImport(secOps, AccessTokens.of(secOps, () -> transport),
                HttpClient.newHttpClient(), Duration.ofSeconds(10), 3, sleeper, clock, Deadline.NONE, () -> 0.5);
        return new Delivery(sink, chronicle, clock);
    }

    /** Every line of every object, in the order the objects were written. */
    static List<String> linesInBucket(MemorySink sink) {
        List<String> lines = new ArrayList<>();
        for (byte[] o : sink.objects.values()) lines.addAll(new NdjsonEncoder(false).unpack(o));
        return lines;
    }

    static List<String> imported(FakeGoogle google) {
        List<String> out = new ArrayList<>();
        google.importedRecords().forEach(batch -> batch.forEach(r -> out.add(new String(r, StandardCharsets.UTF_8))));
        return out;
    }

    @Test
    void recordsArriveExactlyAsInTheBucketThroughATokenFromTheExternalAccountFlow() {
        MemoryStore store = new MemoryStore();
        MemorySink sink = new MemorySink();

        RunSummary summary = jobs.job(store, sink, 0, new ListStream("s", 5, 2)).delivering(delivery(sink)).run();

        assertTrue(summary.ok(), summary.failures());
        assertEquals(3, sink.objects.size());
        List<String> stored = linesInBucket(sink);
        assertEquals(5, stored.size());
        assertEquals(stored, imported(google), "every record, byte for byte and in order");
        assertEquals(3, google.importRequests().size(), "one request per object of this size");
        assertEquals(5L, summary.streams().get(0).delivered());
        assertEquals(0L, summary.streams().get(0).reimported());
        assertTrue(store.checkpoint().delivery("s").isEmpty(), "nothing left pending");

        for (var request : google.importRequests()) {
            assertEquals("Bearer " + FakeGoogle.ACCESS_TOKEN, request.getHeader("Authorization"));
            JsonNode log = FakeGoogle.json(request.getBody()).path("inlineSource").path("logs").get(0);
            assertEquals("2026-11-20T12:00:00.437Z", log.get("collectionTime").asText());
            assertEquals("2026-11-20T12:00:00.436Z", log.get("logEntryTime").asText(),
                    "a record without a time of its own is dated just before its collection");
        }
        // The token came from the external-account flow: an AWS-signed GetCallerIdentity exchanged at token_url.
        List<Map<String, String>> exchanges = google.tokenExchanges();
        assertEquals(1, exchanges.size(), "one token for the pass");
        Map<String, String> form = exchanges.get(0);
        assertEquals("urn:ietf:params:oauth:grant-type:token-exchange", form.get("grant_type"));
        assertEquals(FakeGoogle.AUDIENCE, form.get("audience"));
        assertEquals("urn:ietf:params:aws:token-type:aws4_request", form.get("subject_token_type"));
        assertEquals("https://www.googleapis.com/auth/cloud-platform", form.get("scope"));
        JsonNode subject = FakeGoogle.json(java.net.URLDecoder.decode(form.get("subject_token"), StandardCharsets.UTF_8)
                .getBytes(StandardCharsets.UTF_8));
        assertEquals("https://sts.us-east-1.amazonaws.com?Action=GetCallerIdentity&Version=2011-06-15", subject.get("url").asText());
        assertEquals("POST", subject.get("method").asText());
        String authorization = null;
        String sessionToken = null;
        for (JsonNode h : subject.get("headers")) {
            if (h.get("key").asText().equalsIgnoreCase("Authorization")) authorization = h.get("value").asText();
            if (h.get("key").asText().equalsIgnoreCase("x-amz-security-token")) sessionToken = h.get("value").asText();
        }
        assertTrue(authorization != null && authorization.startsWith("AWS4-HMAC-SHA256 Credential=" + FakeGoogle.AWS_ACCESS_KEY_ID
                + "/"), "signed with the role's key: " + authorization);
        assertEquals(FakeGoogle.AWS_SESSION_TOKEN, sessionToken, "the role's session token goes with the signature");
    }

    @Test
    void batchesStayUnderTheLimitAndARecordNearItGoesAlone() {
        MemoryStore store = new MemoryStore();
        MemorySink sink = new MemorySink();
        // Base64 makes 4 bytes of 3: record 3 alone is a body 3 bytes under the limit, with no room for record 4.
        List<String> records = List.of(record(1, 1_000_000), record(2, 1_000_000), record(3, LARGEST),
                record(4, 20), record(5, 1_400_000), record(6, 1_400_000));
        sink.objects.put("p/s/one.ndjson", (String.join("\n", records) + "\n").getBytes(StandardCharsets.UTF_8));
        Delivery delivery = delivery(sink);
        FencedCheckpoint checkpoint = FencedCheckpoint.takeOver(store, "pass-1");
        listAsWritten(checkpoint, "s", "p/s/one.ndjson");

        Delivery.Sent sent = delivery.deliverPending(checkpoint, "s");

        assertEquals(6, sent.records());
        List<List<byte[]>> batches = google.importedRecords();
        List<Integer> sizes = batches.stream().map(List::size).toList();
        assertEquals(List.of(2, 1, 3), sizes, "1+2 fit, 3 alone, then 4 with 5 and 6");
        for (var request : google.importRequests()) {
            assertTrue(request.getBody().length <= 3_950_000, "a body of " + request.getBody().length + " bytes");
        }
        assertEquals(3_949_997, google.importRequests().get(1).getBody().length, "the near-limit record fills its body");
        assertEquals(records, imported(google));
        assertTrue(store.checkpoint().delivery("s").isEmpty());
    }

    @Test
    void aRecordTooLargeForAnyRequestFailsNamingItAndStaysPending() {
        MemoryStore store = new MemoryStore();
        MemorySink sink = new MemorySink();
        String big = record(77, LARGEST + 1); // one byte more: its body would be 3,950,001 bytes
        sink.objects.put("p/s/big.ndjson", (record(76, 20) + "\n" + big + "\n").getBytes(StandardCharsets.UTF_8));
        FencedCheckpoint checkpoint = FencedCheckpoint.takeOver(store, "pass-1");
        listAsWritten(checkpoint, "s", "p/s/big.ndjson");

        DeliveryException e = assertThrows(DeliveryException.class, () -> delivery(sink).deliverPending(checkpoint, "s"));

        assertEquals("s: record 2 of p/s/big.ndjson (id 77) is 2962405 bytes, more than one logs:import request carries"
                + " (3950000 bytes, base64 included); it stays in the bucket, and delivery stops here until it is removed"
                + " from the checkpoint's deliveries", e.getMessage());
        assertEquals(1, google.importRequests().size(), "the record before it was sent");
        ObjectNode pending = store.checkpoint().delivery("s").orElseThrow();
        assertEquals("p/s/big.ndjson", pending.get("objects").get(0).asText(), "not dropped");
        assertEquals(1, pending.get("imported").asInt(), "the record before it is recorded as imported");
        assertFalse(pending.has("sending"), "nothing is on its way: the next pass starts at the large record");
    }

    @Test
    void throttlingAndUnavailabilityAreWaitedOutAndTheBatchSentOnce() {
        google.answerImports(429, 503, 200);
        MemoryStore store = new MemoryStore();
        MemorySink sink = new MemorySink();

        RunSummary summary = jobs.job(store, sink, 0, new ListStream("s", 2, 2)).delivering(delivery(sink)).run();

        assertTrue(summary.ok(), summary.failures());
        assertEquals(List.of(Duration.ofSeconds(7), Duration.ofMillis(750)), sleeper.waits(),
                "Retry-After for the 429, the backoff for the 503");
        assertEquals(3, google.importRequests().size());
        assertEquals(linesInBucket(sink), google.importedRecords().get(2).stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList());
        assertEquals(2L, summary.streams().get(0).delivered());
    }

    /** Regression: a token exchange that failed once failed the stream's pass, although nothing was wrong. */
    @Test
    void aTokenExchangeThatFailsOnceIsTriedAgainAndTheBatchSentOnce() {
        google.answerTokenExchanges(503, 200);
        MemoryStore store = new MemoryStore();
        MemorySink sink = new MemorySink();

        RunSummary summary = jobs.job(store, sink, 0, new ListStream("s", 2, 2)).delivering(delivery(sink)).run();

        assertTrue(summary.ok(), summary.failures());
        assertEquals(2, google.tokenExchanges().size(), "the failed exchange, then one that gave a token");
        assertEquals(List.of(Duration.ofMillis(750)), sleeper.waits(), "the collector's first backoff");
        assertEquals(1, google.importRequests().size());
        assertEquals(linesInBucket(sink), imported(google));
        assertTrue(store.checkpoint().delivery("s").isEmpty());
    }

    @Test
    void aTokenExchangeThatKeepsFailingStopsTheStreamAfterHttpRetriesNamingTheConfigurationAndLeavesTheObjectPending() {
        google.answerTokenExchanges(400);
        MemoryStore store = new MemoryStore();
        MemorySink sink = new MemorySink();

        RunSummary summary = jobs.job(store, sink, 0, new ListStream("s", 3, 2)).delivering(delivery(sink)).run();

        assertFalse(summary.ok());
        String error = summary.streams().get(0).error();
        assertTrue(error.startsWith("s: no Google access token for logs:import: the token exchange of the configuration in the test"
                + " configuration failed"), error);
        assertEquals(4, google.tokenExchanges().size(), "the first exchange and HTTP_RETRIES (3) more");
        assertEquals(3, sleeper.waits().size());
        assertEquals(0, google.importRequests().size());
        assertEquals(1, sink.objects.size(), "the stream stops at the first page it could not deliver");
        assertEquals(1, store.checkpoint().delivery("s").orElseThrow().get("objects").size(), "the object waits for the next pass");
    }

    @Test
    void throttlingPastTheTimeBudgetLeavesTheRecordsPendingForTheNextPass() {
        google.answerImports(429);
        MemoryStore store = new MemoryStore();
        MemorySink sink = new MemorySink();
        SecOps secOps = secOps();
        NetHttpTransport transport = FakeGoogle.transport();
        Delivery tight = new Delivery(sink, new ChronicleImport(secOps, AccessTokens.of(secOps, () -> transport),
                HttpClient.newHttpClient(), Duration.ofSeconds(10), 3, sleeper, clock,
                Deadline.after(clock.instant(), Duration.ofSeconds(5)), () -> 0.5), clock);

        RunSummary summary = jobs.job(store, sink, 0, new ListStream("s", 2, 2)).delivering(tight).run();

        assertTrue(summary.ok(), "out of time is not a failure: " + summary.failures());
        assertTrue(summary.streams().get(0).more());
        assertEquals(1, store.checkpoint().delivery("s").orElseThrow().get("objects").size(), "the object waits");
    }

    @Test
    void a403NamesThePermissionAndTheInstanceAndTheNextPassDeliversWhatWasLeft() {
        google.answerImports(403);
        MemoryStore store = new MemoryStore();
        MemorySink sink = new MemorySink();
        ListStream stream = new ListStream("s", 3, 2);

        RunSummary refused = jobs.job(store, sink, 0, stream).delivering(delivery(sink)).run();

        assertFalse(refused.ok());
        String error = refused.streams().get(0).error();
        assertTrue(error.startsWith("s: SecOps answered 403 to logs:import on " + FakeGoogle.INSTANCE), error);
        assertTrue(error.contains("chronicle.logs.import"), error);
        assertEquals(1, sink.objects.size(), "the stream stops at the first page it could not deliver");
        assertEquals(1, store.checkpoint().delivery("s").orElseThrow().get("objects").size());

        google.answerImports(200);
        RunSummary next = jobs.job(store, sink, 0, stream).delivering(delivery(sink)).run();

        assertTrue(next.ok(), next.failures());
        assertEquals(linesInBucket(sink), imported(google).subList(2, 5),
                "the first object, refused once, then the rest; nothing lost");
        assertEquals(0L, next.streams().get(0).reimported(), "a refused batch was not taken: it is no reimport");
        assertTrue(store.checkpoint().delivery("s").isEmpty());
    }

    @Test
    void a404NamesTheInstancePath() {
        google.answerImports(404);
        MemorySink sink = new MemorySink();

        RunSummary summary = jobs.job(new MemoryStore(), sink, 0, new ListStream("s", 1)).delivering(delivery(sink)).run();

        String error = summary.streams().get(0).error();
        assertTrue(error.startsWith("s: SecOps answered 404: there is no instance " + FakeGoogle.INSTANCE + " at "
                + google.endpoint()), error);
        assertTrue(error.contains("check SECOPS_INSTANCE"), error);
    }

    @Test
    void aCrashBetweenImportAndCommitSendsThatBatchAgainCountedAndNothingElse() {
        MemoryStore store = new CrashAfterImport(google);
        MemorySink sink = new MemorySink();
        ListStream stream = new ListStream("s", 4, 2);

        RunSummary crashed = jobs.job(store, sink, 0, stream).delivering(delivery(sink)).run();

        assertFalse(crashed.ok(), "the pass died after its first import");
        assertEquals(1, google.importRequests().size());
        RunSummary next = jobs.job(store, sink, 0, stream).delivering(delivery(sink)).run();

        assertTrue(next.ok(), next.failures());
        StreamResult s = next.streams().get(0);
        assertEquals(2L, s.reimported(), "the batch that may have landed, sent again and said so");
        assertEquals(4L, s.delivered());
        List<String> bucket = linesInBucket(sink);
        assertEquals(4, bucket.size(), "no record written twice");
        List<String> sent = imported(google);
        List<String> expected = new ArrayList<>(bucket.subList(0, 2));
        expected.addAll(bucket);
        assertEquals(expected, sent, "the first batch twice, everything else once");
    }

    @Test
    void aCrashAfterWritingAnObjectAndBeforeImportingItDeliversItNextPassWithoutReimport() {
        MemoryStore store = new MemoryStore();
        MemorySink sink = new MemorySink();
        ListStream stream = new ListStream("s", 2, 2);
        // Commits: take-over, start position, request, intent for the object, then the position after it.
        store.crashOnCommit = 4;

        RunSummary crashed = jobs.job(store, sink, 0, stream).delivering(delivery(sink)).run();

        assertFalse(crashed.ok());
        assertEquals(1, sink.objects.size(), "the object is durable");
        assertEquals(0, google.importRequests().size(), "and was not imported");
        RunSummary next = jobs.job(store, sink, 0, stream).delivering(delivery(sink)).run();

        assertTrue(next.ok(), next.failures());
        assertEquals(1, sink.objects.size(), "the page read again writes nothing new");
        assertEquals(linesInBucket(sink), imported(google), "imported once");
        assertEquals(0L, next.streams().get(0).reimported());
    }

    @Test
    void deliveryOffTouchesNothing() {
        MemoryStore store = new MemoryStore();
        MemorySink sink = new MemorySink();

        RunSummary summary = jobs.job(store, sink, 0, new ListStream("s", 3)).run();

        assertTrue(summary.ok());
        assertNull(summary.streams().get(0).delivered(), "no delivery figures without delivery");
        assertFalse(new String(store.content, StandardCharsets.UTF_8).contains("deliveries"));
        assertEquals(0, google.importRequests().size());
        assertTrue(google.tokenExchanges().isEmpty());
        assertEquals(3, sink.objects.size());
    }

    @Test
    void noTokenSignatureOrRoleCredentialReachesALogAtDebug() throws Exception {
        // Every logger at the finest level, except those application.properties pins, pinned as it says.
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        java.util.logging.Level rootLevel = root.getLevel();
        List<java.util.logging.Logger> pinned = new ArrayList<>();
        java.util.regex.Matcher pin = java.util.regex.Pattern.compile("quarkus\\.log\\.category\\.\"([^\"]+)\"\\.level=WARN")
                .matcher(java.nio.file.Files.readString(java.nio.file.Path.of("src/main/resources/application.properties")));
        while (pin.find()) {
            java.util.logging.Logger l = java.util.logging.Logger.getLogger(pin.group(1));
            l.setLevel(java.util.logging.Level.WARNING);
            pinned.add(l); // held: a logger only referenced weakly would lose its level
        }
        assertTrue(pinned.stream().anyMatch(l -> l.getName().equals("com.google.api.client.http")), "Google's HTTP client is pinned");

        List<String> logged = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                logged.add(r.getLoggerName() + " " + new java.util.logging.SimpleFormatter().formatMessage(r)
                        + (r.getThrown() == null ? "" : " " + r.getThrown()));
            }

            @Override
            public void flush() { }

            @Override
            public void close() { }
        };
        capture.setLevel(java.util.logging.Level.ALL);
        root.setLevel(java.util.logging.Level.ALL);
        root.addHandler(capture);
        try {
            google.answerImports(503, 403);
            MemorySink sink = new MemorySink();
            RunSummary summary = jobs.job(new MemoryStore(), sink, 0, new ListStream("s", 1)).delivering(delivery(sink)).run();
            assertFalse(summary.ok());
        } finally {
            root.removeHandler(capture);
            root.setLevel(rootLevel);
        }
        assertFalse(google.tokenExchanges().isEmpty(), "a token was exchanged");
        assertTrue(logged.stream().anyMatch(l -> l.contains("403")), "the refusal is logged: " + logged);
        for (String secret : List.of(FakeGoogle.ACCESS_TOKEN, FakeGoogle.AWS_SECRET_ACCESS_KEY, FakeGoogle.AWS_SESSION_TOKEN,
                "AWS4-HMAC-SHA256", "Signature=", "subject_token")) {
            List<String> leaks = logged.stream().filter(l -> l.contains(secret)).toList();
            assertEquals(List.of(), leaks, secret + " was logged");
        }
    }

    /** Lists {@code key} for import as a pass does before writing it. */
    static void listAsWritten(FencedCheckpoint checkpoint, String stream, String key) {
        ObjectNode state = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        state.putArray("objects").add(key);
        checkpoint.commitDelivery(stream, state);
    }

    /** The longest line whose body fits: 125 bytes of JSON around 4 * ceil(2962404 / 3) bytes of base64 make 3,949,997. */
    static final int LARGEST = 2_962_404;

    /** A record of exactly {@code length} bytes. */
    static String record(int id, int length) {
        String head = "{\"id\":" + id + ",\"text\":\"";
        char[] text = new char[length - head.length() - 2];
        Arrays.fill(text, 'x');
        return head + new String(text) + "\"}";
    }

    /** Fails the first commit after logs:import received a request: a pass killed between import and commit. */
    static final class CrashAfterImport extends MemoryStore {
        final FakeGoogle google;
        boolean crashed;

        CrashAfterImport(FakeGoogle google) {
            this.google = google;
        }

        @Override
        public synchronized String commit(byte[] next, String expectedVersion) {
            if (!crashed && !google.importRequests().isEmpty()) {
                crashed = true;
                throw new IllegalStateException("killed");
            }
            return super.commit(next, expectedVersion);
        }
    }
}
