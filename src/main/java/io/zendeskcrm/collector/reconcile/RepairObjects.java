package io.zendeskcrm.collector.reconcile;

import io.zendeskcrm.collector.sink.NdjsonEncoder;
import io.zendeskcrm.collector.sink.ObjectKeys;
import io.zendeskcrm.collector.sink.RecordSink;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Writes records found missing as new write-once objects in the normal layout,
 *
 * <pre>{prefix}/{stream}/{yyyy}/{MM}/{dd}/{yyyyMMdd'T'HHmmss'Z'}-repair-{hash}{extension}</pre>
 *
 * dated by the oldest record they hold, up to {@link #PER_OBJECT} records each. {@code repair} is not
 * hexadecimal, so no key of the collector's ({@code ...-{fingerprint}[-n]}) can ever be one of these.
 * The hash is of the identities the object holds: a repair run again after a crash finds the records
 * it wrote in the bucket and does not count them missing; a set it had not finished gets the same key,
 * which is created only if it does not exist.
 */
final class RepairObjects {
    static final int PER_OBJECT = 1000;
    private final RecordSink sink;
    private final NdjsonEncoder encoder;
    private final ObjectKeys keys;
    private final String stream;
    private final List<String> lines = new ArrayList<>();
    private final List<String> identities = new ArrayList<>();
    private Instant oldest;
    private long written;

    RepairObjects(RecordSink sink, NdjsonEncoder encoder, String prefix, String stream, String extension) {
        this.sink = sink;
        this.encoder = encoder;
        this.keys = new ObjectKeys(prefix, extension);
        this.stream = stream;
    }

    /** Adds a missing record, as Zendesk sent it; an object is written every {@link #PER_OBJECT} records. */
    void add(String line, StreamIdentity.Seen seen) {
        lines.add(line);
        identities.add(seen.identity());
        if (oldest == null || seen.time().isBefore(oldest)) oldest = seen.time();
        if (lines.size() == PER_OBJECT) flush();
    }

    /** Writes what is held. */
    void flush() {
        if (lines.isEmpty()) return;
        String key = keys.named(stream, oldest, "repair-" + digest(identities));
        if (sink.create(key, encoder.pack(lines))) written += lines.size();
        lines.clear();
        identities.clear();
        oldest = null;
    }

    /** Forgets what is held and not written. */
    void discard() {
        lines.clear();
        identities.clear();
        oldest = null;
    }

    /** Records written so far. */
    long written() {
        return written;
    }

    private static String digest(List<String> identities) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String id : identities.stream().sorted().toList()) sha.update((id + "\n").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
