package io.zendeskcrm.collector.deliver;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;

/**
 * One {@code logs:import} request body being filled, record by record:
 * {@code {"inlineSource":{"logs":[{"data":"<base64 of the line>","logEntryTime":"…","collectionTime":"…"},…]}}}.
 * Times are written with milliseconds always, so every log's size is known before it is added and a
 * body never grows past {@link #MAX_BYTES}.
 */
final class ImportBody {
    /** Under the 4 MB a {@code logs:import} request may carry (Google's own scripts stop at 3.95 MB). */
    static final int MAX_BYTES = 3_950_000;
    private static final byte[] HEAD = "{\"inlineSource\":{\"logs\":[".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TAIL = "]}}".getBytes(StandardCharsets.US_ASCII);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    /** {@code {"data":"","logEntryTime":"<24>","collectionTime":"<24>"}} without the base64. */
    private static final int LOG_OVERHEAD = "{\"data\":\"\",\"logEntryTime\":\"\",\"collectionTime\":\"\"}".length() + 2 * 24;

    private final ByteArrayOutputStream body = new ByteArrayOutputStream(64 * 1024);
    private final String collectionTime;
    private int logs;

    /** @param collectionTime when the records are sent: no record is dated after it */
    ImportBody(Instant collectionTime) {
        this.collectionTime = TIME.format(collectionTime);
        body.writeBytes(HEAD);
    }

    /** The body's size with a record of {@code lineBytes} bytes as its only log. */
    static long sizeAlone(int lineBytes) {
        return HEAD.length + logSize(lineBytes) + TAIL.length;
    }

    private static long logSize(int lineBytes) {
        return LOG_OVERHEAD + 4L * ((lineBytes + 2) / 3);
    }

    /** Whether a record of {@code lineBytes} bytes still fits. */
    boolean fits(int lineBytes) {
        return body.size() + (logs > 0 ? 1 : 0) + logSize(lineBytes) + TAIL.length <= MAX_BYTES;
    }

    /** Adds one record, its line byte for byte; {@code entryTime} is its own time, at most the collection time. */
    void add(byte[] line, Instant entryTime) {
        if (logs++ > 0) body.write(',');
        body.writeBytes("{\"data\":\"".getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(Base64.getEncoder().encode(line));
        body.writeBytes(("\",\"logEntryTime\":\"" + TIME.format(entryTime) + "\",\"collectionTime\":\"" + collectionTime
                + "\"}").getBytes(StandardCharsets.US_ASCII));
    }

    int logs() {
        return logs;
    }

    byte[] finish() {
        body.writeBytes(TAIL);
        return body.toByteArray();
    }
}
