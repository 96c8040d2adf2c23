package io.zendeskcrm.collector.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.zendeskcrm.collector.sink.LocalDirectorySink;
import io.zendeskcrm.collector.sink.NdjsonEncoder;
import io.zendeskcrm.collector.sink.ObjectKeys;
import io.zendeskcrm.collector.sink.WriteOnceObjects;
import io.zendeskcrm.collector.stream.Page;
import io.zendeskcrm.collector.zendesk.TicketStream;
import io.zendeskcrm.collector.zendesk.TimestampField;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Processes the largest page once in a JVM of its own (started by {@link MemoryBenchmark} with a given
 * -Xmx) and prints its peak heap and peak RSS. Exit 0 = the page fit. The page is read from a file as it
 * would arrive from the network: as a stream, never whole.
 *
 * <p>With a second argument {@code reread}, the page is also written to a local directory and then read
 * and written again, as after a pass that died between writing it and committing: the second write finds
 * the object there and compares the page with it.
 */
public final class LargePageProbe {
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        boolean reread = args.length > 1 && args[1].equals("reread");
        NdjsonEncoder encoder = new NdjsonEncoder(true);
        Page page = read(file, encoder);
        long objectBytes = page.records().content().length;
        String outcome = "";
        if (reread) {
            WriteOnceObjects objects = new WriteOnceObjects(new LocalDirectorySink(Files.createTempDirectory("reread")),
                    new ObjectKeys("", ".ndjson.gz"), encoder);
            objects.write(TicketStream.NAME, page.keyTime(), page.request(), page.records(), () -> { });
            page = null; // the pass dies here; the next one reads the same request again
            page = read(file, encoder);
            WriteOnceObjects.Result again = objects.write(TicketStream.NAME, page.keyTime(), page.request(), page.records(), () -> { });
            outcome = ", re-read: " + again.alreadyThere() + " already there, " + again.written() + " written";
        }
        long pageBytes = Files.size(file);
        long peakHeap = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) peakHeap += pool.getPeakUsage().getUsed();
        }
        String rss = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM"))
                .findFirst().orElse("VmHWM: ?").replaceAll("\\s+", " ");
        System.out.printf("page %.1f MB, object %.1f MB%s, peak heap %.0f MB, peak RSS %s%n",
                pageBytes / 1e6, objectBytes / 1e6, outcome, peakHeap / 1e6, rss.substring(rss.indexOf(':') + 2));
    }

    private static Page read(Path file, NdjsonEncoder encoder) throws IOException {
        try (InputStream body = new BufferedInputStream(Files.newInputStream(file))) {
            return new TicketStream(null, Duration.ofHours(1), null, TimestampField.ON, encoder)
                    .page(JsonNodeFactory.instance.objectNode().put("cursor", "c").put("generated_timestamp", 0), body);
        }
    }
}
