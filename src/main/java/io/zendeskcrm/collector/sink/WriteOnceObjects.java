package io.zendeskcrm.collector.sink;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Writes a page so that no object is ever replaced and no record is written twice for one request.
 *
 * <p>A page goes to its request's key. When that key is taken (a pass died between write and commit,
 * or a pass that was fenced out wrote it), the records already there are not written again: the
 * rest goes to the next key of the chain, and so on; nothing is written when nothing is left. The
 * records found in the chain that are not on this page are handed back, so that the stream can skip
 * them when they come round again.
 *
 * <p>Records are compared by {@linkplain RecordIdentity identity}, and only identities are kept: each
 * stored object is read as a stream, line by line, and the page's remaining lines are re-encoded from
 * its own compressed bytes, so a re-read page costs about what its first reading did.
 */
public final class WriteOnceObjects {
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(WriteOnceObjects.class);
    /** The position field that records where a request's objects go. */
    static final String LAYOUT = "object_layout";
    private final RecordSink sink;
    private final ObjectKeys keys;
    private final NdjsonEncoder encoder;

    public WriteOnceObjects(RecordSink sink, ObjectKeys keys, NdjsonEncoder encoder) {
        this.sink = sink;
        this.keys = keys;
        this.encoder = encoder;
    }

    /**
     * @param written      records of the page written now
     * @param alreadyThere records of the page found already written for this request
     * @param elsewhere    records written for this request that are not on this page, each as its
     *                     {@linkplain RecordIdentity.Line#head() head} (its id and times, not its body)
     */
    public record Result(int written, int alreadyThere, List<ObjectNode> elsewhere) {}

    /**
     * {@code position} with the layout its request's objects go to ({@code S3_PREFIX}, {@code OUTPUT_COMPRESSION}),
     * recorded before the request is fetched, so that a pass reading it again after those settings changed
     * finds what an earlier pass wrote for it.
     */
    public ObjectNode laidOut(ObjectNode position) {
        if (keys.layout().equals(position.path(LAYOUT).asText(null))) return position;
        ObjectNode laidOut = position.deepCopy();
        laidOut.put(LAYOUT, keys.layout());
        return laidOut;
    }

    public Result write(String stream, Instant keyTime, String request, EncodedRecords records, Runnable beforeEachCreate) {
        return write(stream, keyTime, request, records, null, beforeEachCreate);
    }

    /**
     * @param position         the committed position the page was read from: the layout it records is used
     *                         when an earlier pass wrote this request's first object there
     * @param beforeEachCreate run before every object is created: the caller's proof that it may still
     *                         write (it throws when the pass was fenced out)
     */
    public Result write(String stream, Instant keyTime, String request, EncodedRecords records, ObjectNode position,
                        Runnable beforeEachCreate) {
        return write(stream, keyTime, request, records, position, key -> beforeEachCreate.run());
    }

    /** As above; {@code beforeCreating} is told the key of each object about to be created. */
    public Result write(String stream, Instant keyTime, String request, EncodedRecords records, ObjectNode position,
                        Consumer<String> beforeCreating) {
        ObjectKeys keys = this.keys;
        NdjsonEncoder encoder = this.encoder;
        String recorded = position == null ? null : position.path(LAYOUT).asText(null);
        if (recorded != null && !recorded.equals(keys.layout())) {
            ObjectKeys earlier = ObjectKeys.ofLayout(recorded);
            if (writtenBefore(earlier.of(stream, keyTime, request, 1))) {
                // Written before the settings changed: the chain carries on as it began.
                keys = earlier;
                encoder = new NdjsonEncoder(earlier.gzip());
                records = encoder.repack(records.content(), i -> true);
            }
        }
        String first = keys.of(stream, keyTime, request, 1);
        beforeCreating.accept(first);
        if (sink.create(first, records.content())) return new Result(records.count(), 0, List.of());
        // Taken: only now are the page's records needed one by one, to tell what is already there.
        List<String> onPage = new ArrayList<>(records.count());
        NdjsonEncoder.forEachLine(new ByteArrayInputStream(records.content()),
                line -> onPage.add(RecordIdentity.of(line).identity()));
        Set<String> pageIdentities = new HashSet<>(onPage);
        Set<String> found = new HashSet<>();
        List<ObjectNode> elsewhere = new ArrayList<>();
        if (!scan(first, found, pageIdentities, elsewhere)) throw unreadable(first);
        int written = 0;
        for (int n = 2; ; n++) {
            String key = keys.of(stream, keyTime, request, n);
            boolean remaining = onPage.stream().anyMatch(id -> !found.contains(id));
            if (remaining) {
                beforeCreating.accept(key);
                EncodedRecords rest = encoder.repack(records.content(), i -> !found.contains(onPage.get(i)));
                if (sink.create(key, rest.content())) {
                    written = rest.count();
                    break;
                }
            }
            // Taken (or, with nothing left to write, possibly taken): read it to learn what is there.
            if (!scan(key, found, pageIdentities, elsewhere)) {
                if (!remaining) break; // the end of the chain
                throw unreadable(key);
            }
        }
        return new Result(written, onPage.size() - written, elsewhere);
    }

    /** Adds the identities stored at {@code key} to {@code found}; false when there is no object there. */
    private boolean scan(String key, Set<String> found, Set<String> onPage, List<ObjectNode> elsewhere) {
        Optional<InputStream> object = sink.open(key);
        if (object.isEmpty()) return false;
        try {
            NdjsonEncoder.forEachLine(object.get(), line -> {
                RecordIdentity.Line stored = RecordIdentity.of(line);
                if (found.add(stored.identity()) && !onPage.contains(stored.identity())) elsewhere.add(stored.head());
            });
        } catch (UncheckedIOException | IllegalStateException e) {
            throw new IllegalStateException("the object " + key + " cannot be read (" + e.getMessage()
                    + "); it is left as it is", e);
        }
        return true;
    }

    /** Whether an object exists under a layout of earlier settings; one this pass may not read was not written by it either. */
    private boolean writtenBefore(String key) {
        Optional<InputStream> object;
        try {
            object = sink.open(key);
        } catch (RuntimeException e) {
            LOG.warnf("cannot tell whether %s was written before the settings changed (%s); writing under the current ones",
                    key, e.getMessage());
            return false;
        }
        object.ifPresent(o -> {
            try {
                o.close();
            } catch (java.io.IOException ignored) {
                // Only its existence was asked.
            }
        });
        return object.isPresent();
    }

    private static IllegalStateException unreadable(String key) {
        return new IllegalStateException("the object " + key + " exists but could not be read; it is left as it is");
    }
}
