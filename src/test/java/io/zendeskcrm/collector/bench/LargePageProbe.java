package io.zendeskcrm.collector.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.zendeskcrm.collector.sink.NdjsonEncoder;
import io.zendeskcrm.collector.stream.Page;
import io.zendeskcrm.collector.zendesk.TicketStream;
import io.zendeskcrm.collector.zendesk.TimestampField;
import java.io.BufferedInputStream;
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
 */
public final class LargePageProbe {
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        Page page;
        try (InputStream body = new BufferedInputStream(Files.newInputStream(file))) {
            page = new TicketStream(null, Duration.ofHours(1), null, TimestampField.ON, new NdjsonEncoder(true))
                    .page(JsonNodeFactory.instance.objectNode().put("cursor", "c").put("generated_timestamp", 0), body);
        }
        byte[] object = page.records().content();
        long pageBytes = Files.size(file);
        long peakHeap = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) peakHeap += pool.getPeakUsage().getUsed();
        }
        String rss = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM"))
                .findFirst().orElse("VmHWM: ?").replaceAll("\\s+", " ");
        System.out.printf("page %.1f MB, object %.1f MB, peak heap %.0f MB, peak RSS %s%n",
                pageBytes / 1e6, object.length / 1e6, peakHeap / 1e6, rss.substring(rss.indexOf(':') + 2));
    }
}
