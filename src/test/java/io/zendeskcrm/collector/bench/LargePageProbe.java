package io.zendeskcrm.collector.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.zendeskcrm.collector.sink.NdjsonEncoder;
import io.zendeskcrm.collector.stream.Page;
import io.zendeskcrm.collector.zendesk.TicketStream;
import io.zendeskcrm.collector.zendesk.TimestampField;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Processes the largest page once in a JVM of its own (started by {@link MemoryBenchmark} with a given
 * -Xmx) and prints its peak heap and peak RSS. Exit 0 = the page fit.
 */
public final class LargePageProbe {
    public static void main(String[] args) throws Exception {
        int descriptionBytes = Integer.parseInt(args[0]);
        int customFields = Integer.parseInt(args[1]);
        byte[] bytes = Tickets.page(1000, descriptionBytes, customFields, 1); // the body as received
        JsonNode body = new ObjectMapper().readTree(bytes);
        Page page = new TicketStream(null, Duration.ofHours(1), null, TimestampField.ON)
                .page(JsonNodeFactory.instance.objectNode().put("cursor", "c").put("generated_timestamp", 0), body);
        byte[] object = new NdjsonEncoder(true).encode(page.records());
        long peakHeap = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) peakHeap += pool.getPeakUsage().getUsed();
        }
        String rss = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM"))
                .findFirst().orElse("VmHWM: ?").replaceAll("\\s+", " ");
        System.out.printf("page %.1f MB, object %.1f MB, peak heap %.0f MB, peak RSS %s%n",
                bytes.length / 1e6, object.length / 1e6, peakHeap / 1e6, rss.substring(rss.indexOf(':') + 2));
    }
}
