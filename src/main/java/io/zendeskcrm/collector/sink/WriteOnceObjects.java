package io.zendeskcrm.collector.sink;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes a page so that no object is ever replaced and no record is written twice for one request.
 *
 * <p>A page goes to its request's key. When that key is taken (a pass died between write and commit,
 * or a pass that was fenced out wrote it), the records already there are not written again: the
 * rest goes to the next key of the chain, and so on; nothing is written when nothing is left. The
 * records found in the chain that are not on this page are handed back, so that the stream can skip
 * them when they come round again.
 */
public final class WriteOnceObjects {
    private final RecordSink sink;
    private final ObjectKeys keys;
    private final NdjsonEncoder encoder;

    public WriteOnceObjects(RecordSink sink, ObjectKeys keys, NdjsonEncoder encoder) {
        this.sink = sink;
        this.keys = keys;
        this.encoder = encoder;
    }

    /**
     * @param written     records of the page written now
     * @param alreadyThere records of the page found already written for this request
     * @param elsewhere   records written for this request that are not on this page
     */
    public record Result(int written, int alreadyThere, List<ObjectNode> elsewhere) {}

    /**
     * @param beforeEachCreate run before every object is created: the caller's proof that it may still
     *                         write (it throws when the pass was fenced out)
     */
    public Result write(String stream, Instant keyTime, String request, EncodedRecords records, Runnable beforeEachCreate) {
        String first = keys.of(stream, keyTime, request, 1);
        beforeEachCreate.run();
        if (sink.create(first, records.content())) return new Result(records.count(), 0, List.of());
        // Taken: only now are the page's lines needed one by one, to tell what is already there.
        List<String> lines = encoder.unpack(records.content());
        Set<String> found = new LinkedHashSet<>(encoder.unpack(read(first)));
        List<String> remaining = without(lines, found);
        int written = 0;
        for (int n = 2; ; n++) {
            String key = keys.of(stream, keyTime, request, n);
            if (!remaining.isEmpty()) {
                beforeEachCreate.run();
                if (sink.create(key, encoder.pack(remaining))) {
                    written = remaining.size();
                    break;
                }
            }
            // Taken (or, with nothing left to write, possibly taken): read it to learn what is there.
            var there = sink.read(key);
            if (there.isEmpty()) {
                if (remaining.isEmpty()) break; // the end of the chain
                throw new IllegalStateException("the object " + key + " exists but could not be read; it is left as it is");
            }
            found.addAll(encoder.unpack(there.get()));
            remaining = without(remaining, found);
        }
        Set<String> onPage = new HashSet<>(lines);
        List<ObjectNode> elsewhere = new ArrayList<>();
        for (String line : found) {
            if (!onPage.contains(line)) elsewhere.add(NdjsonEncoder.record(line));
        }
        return new Result(written, lines.size() - written, elsewhere);
    }

    private byte[] read(String key) {
        return sink.read(key).orElseThrow(
                () -> new IllegalStateException("the object " + key + " exists but could not be read; it is left as it is"));
    }

    private static List<String> without(List<String> lines, Set<String> found) {
        return lines.stream().filter(l -> !found.contains(l)).toList();
    }
}
