package io.zendeskcrm.collector.sink;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

/**
 * Object keys, a pure function of the stream and the checkpoint position a page was read from:
 *
 * <pre>{prefix}/{stream}/{yyyy}/{MM}/{dd}/{yyyyMMdd'T'HHmmss'Z'}-{fingerprint}[-{n}]{extension}</pre>
 *
 * The date is the position's time, not the wall clock, and the fingerprint is a hash of the request.
 * A re-read of the same request therefore meets the same key, and two different requests never share
 * one. Objects are write-once: when a re-read page finds its key taken, what it has beyond that
 * object goes to the next key of the chain ({@code -2}, {@code -3}, ...).
 */
public final class ObjectKeys {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final String prefix;
    private final String extension;

    /** @param prefix already normalised: no leading, trailing or doubled slash; may be empty */
    public ObjectKeys(String prefix, String extension) {
        this.prefix = prefix;
        this.extension = extension;
    }

    /**
     * The settings that place a request's objects ({@code S3_PREFIX} and {@code OUTPUT_COMPRESSION}), as a
     * request's position records them: {@code zendesk/crm/*.ndjson.gz}.
     */
    public String layout() {
        return (prefix.isEmpty() ? "" : prefix + "/") + "*" + extension;
    }

    /** The keys of a {@link #layout()} recorded by an earlier pass. */
    public static ObjectKeys ofLayout(String layout) {
        int star = layout.lastIndexOf('*');
        if (star < 0) throw new IllegalArgumentException("not an object layout: " + layout);
        String prefix = layout.substring(0, star);
        return new ObjectKeys(prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix, layout.substring(star + 1));
    }

    /** True when this layout's objects are gzip-compressed. */
    public boolean gzip() {
        return extension.endsWith(".gz");
    }

    public String of(String stream, Instant positionTime, String canonicalPosition) {
        return of(stream, positionTime, canonicalPosition, 1);
    }

    /** The {@code n}th object of a request's chain; the first has no number. */
    public String of(String stream, Instant positionTime, String canonicalPosition, int n) {
        return named(stream, positionTime, fingerprint(canonicalPosition) + (n > 1 ? "-" + n : ""));
    }

    /**
     * An object dated {@code time} whose name goes on with {@code tail}: a tail that is not hexadecimal (such
     * as {@code repair-...}) can never be the key of a collected page.
     */
    public String named(String stream, Instant time, String tail) {
        return streamFolder(stream) + DAY.format(time) + "/" + STAMP.format(time) + "-" + tail + extension;
    }

    /** The folder of a stream's objects, ending in {@code /}. */
    public String streamFolder(String stream) {
        return (prefix.isEmpty() ? "" : prefix + "/") + stream + "/";
    }

    /** The folder of the objects dated {@code day}, ending in {@code /}. */
    public String dayFolder(String stream, java.time.LocalDate day) {
        return streamFolder(stream) + DAY.format(day.atStartOfDay(ZoneOffset.UTC)) + "/";
    }

    static String fingerprint(String canonicalPosition) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonicalPosition.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
