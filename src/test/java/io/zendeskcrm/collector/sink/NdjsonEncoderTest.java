package io.zendeskcrm.collector.sink;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A record goes into its line as Zendesk sent it, one line, with a timestamp added as its last field. */
class NdjsonEncoderTest {
    private static String line(String sent, String timestamp) {
        NdjsonEncoder.Builder builder = new NdjsonEncoder(false).builder();
        builder.add(sent.getBytes(StandardCharsets.UTF_8), timestamp);
        return new String(builder.finish().content(), StandardCharsets.UTF_8);
    }

    @Test
    void theTimestampGoesBeforeTheClosingBraceWithACommaOnlyAfterAField() {
        assertEquals("{\"id\":1,\"timestamp\":\"2026-11-20T10:00:00Z\"}\n", line("{\"id\":1}", "2026-11-20T10:00:00Z"));
        assertEquals("{\"timestamp\":\"t\"}\n", line("{}", "t"));
        assertEquals("{   \"timestamp\":\"t\"}\n", line("{ \n\r}", "t"));
        assertEquals("{\"a\":{} ,\"timestamp\":\"t\"}\n", line("{\"a\":{}\n}", "t"));
    }

    @Test
    void lineBreaksBetweenTokensBecomeSpacesAndNothingElseChanges() {
        String sent = "{\n  \"s\" : \"a\\nb \\u2028\u2028\",\r\n  \"n\" : 1.10\n}";
        assertEquals("{   \"s\" : \"a\\nb \\u2028\u2028\",    \"n\" : 1.10 }\n", line(sent, null));
    }
}
