package io.zendeskcrm.collector.reconcile;

import io.zendeskcrm.collector.sink.ObjectKeys;
import io.zendeskcrm.collector.sink.RecordSink;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * One stream's objects in the bucket (or {@code OUTPUT_DIR}), by the day their keys are dated:
 * {@code {prefix}/{stream}/yyyy/MM/dd/...}. Days are found by listing folder by folder, so a stream
 * with a year of objects costs a few dozen listings, not one per object; an object is read line by line.
 */
final class StoredObjects {
    private final RecordSink sink;
    private final ObjectKeys layout;
    private final String stream;
    private final String streamFolder;

    /** @param prefix the normalised data prefix (may be empty) */
    StoredObjects(RecordSink sink, String prefix, String stream) {
        this.sink = sink;
        this.layout = new ObjectKeys(prefix, "");
        this.stream = stream;
        this.streamFolder = layout.streamFolder(stream);
    }

    /** The days that have objects, oldest first. */
    List<LocalDate> days() {
        List<LocalDate> days = new ArrayList<>();
        for (String year : folders(streamFolder)) {
            for (String month : folders(year)) {
                for (String day : folders(month)) {
                    String ymd = day.substring(streamFolder.length(), day.length() - 1);
                    try {
                        days.add(LocalDate.parse(ymd.replace('/', '-')));
                    } catch (DateTimeParseException e) {
                        // Not the collector's layout (an operator's folder): nothing of ours is in it.
                    }
                }
            }
        }
        days.sort(null);
        return days;
    }

    /** The objects of one day. */
    List<String> keys(LocalDate day) {
        return sink.list(layout.dayFolder(stream, day)).stream().filter(k -> !k.endsWith("/")).toList();
    }

    /** Each line of the object at {@code key}, uncompressed as its name says. */
    void lines(String key, Consumer<String> each) {
        byte[] content = sink.read(key).orElse(null);
        if (content == null) return; // removed since it was listed: it holds nothing now
        try (InputStream raw = new ByteArrayInputStream(content);
             InputStream in = key.endsWith(".gz") ? new GZIPInputStream(raw, 64 * 1024) : raw;
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 64 * 1024)) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isEmpty()) each.accept(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the object " + key + " cannot be read as NDJSON (" + e.getMessage() + ")", e);
        }
    }

    private List<String> folders(String folder) {
        return sink.list(folder).stream().filter(k -> k.endsWith("/")).toList();
    }
}
