package io.zendeskcrm.collector.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zendeskcrm.collector.sink.NdjsonEncoder;
import io.zendeskcrm.collector.stream.Page;
import io.zendeskcrm.collector.zendesk.TicketStream;
import io.zendeskcrm.collector.zendesk.TimestampField;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Hot-path throughput on one thread: an export page's bytes, as received, parsed record by record, each
 * (timestamp added) encoded into the gzip NDJSON object as it is read. Prints figures; asserts nothing
 * about speed. Run: {@code ./mvnw -Pbench verify -Dit.test=HotPathBenchmark}.
 */
class HotPathBenchmark {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void recordsPerSecondFromPageToCompressedObject() throws Exception {
        measure("typical tickets (1000 per page, 1 KB description, 10 custom fields)", Tickets.page(1000, 1_000, 10, 1));
        measure("large tickets (1000 per page, 50 KB description, 200 custom fields)", Tickets.page(1000, 50_000, 200, 1));
    }

    private static void measure(String label, byte[] page) throws Exception {
        TicketStream stream = new TicketStream(null, Duration.ofHours(1), null, TimestampField.ON, new NdjsonEncoder(true));
        NdjsonEncoder gzip = new NdjsonEncoder(true);
        ObjectNode position = JsonNodeFactory.instance.objectNode().put("cursor", "c").put("generated_timestamp", 0);
        long out = 0;
        for (int i = 0; i < 10; i++) out += onePage(stream, gzip, position, page); // warm-up
        int rounds = page.length > 10_000_000 ? 10 : 40;
        long start = System.nanoTime();
        for (int i = 0; i < rounds; i++) out = onePage(stream, gzip, position, page);
        double seconds = (System.nanoTime() - start) / 1e9;
        double records = rounds * 1000.0;
        System.out.printf("hot path, %s: page %.2f MB -> object %.2f MB; %.0f records/s, %.1f MB/s of input, %.1f ms per page%n",
                label, page.length / 1e6, out / 1e6, records / seconds, rounds * page.length / 1e6 / seconds, seconds * 1000 / rounds);
    }

    private static long onePage(TicketStream stream, NdjsonEncoder gzip, ObjectNode position, byte[] bytes) throws Exception {
        Page page = stream.page(position, new java.io.ByteArrayInputStream(bytes));
        return page.records().content().length;
    }
}
