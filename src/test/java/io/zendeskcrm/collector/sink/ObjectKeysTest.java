package io.zendeskcrm.collector.sink;

import java.time.Instant;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class ObjectKeysTest {
    static final Instant T = Instant.parse("2026-11-20T09:08:07Z");

    @Test
    void aKeyIsUnderThePrefixAndStreamWithAUtcDatePath() {
        String key = new ObjectKeys("zendesk/crm", ".ndjson.gz").of("audit_logs", T, "cursor=abc");
        assertEquals("zendesk/crm/audit_logs/2026/11/20/20261120T090807Z-" + ObjectKeys.fingerprint("cursor=abc") + ".ndjson.gz", key);
    }

    @Test
    void theSameRequestAlwaysGivesTheSameKey() {
        ObjectKeys keys = new ObjectKeys("p", ".ndjson");
        assertEquals(keys.of("incremental_tickets", T, "cursor=c1"), keys.of("incremental_tickets", T, "cursor=c1"));
    }

    @Test
    void differentRequestsInTheSameSecondGetDifferentKeys() {
        // The reference Lambda's second-resolution keys let two pages overwrite each other.
        ObjectKeys keys = new ObjectKeys("p", ".ndjson");
        assertNotEquals(keys.of("incremental_tickets", T, "cursor=c1"), keys.of("incremental_tickets", T, "cursor=c2"));
    }

    @Test
    void anEmptyPrefixGivesNoLeadingSlashAndNoDoubleSlash() {
        String key = new ObjectKeys("", ".ndjson").of("audit_logs", T, "x");
        assertFalse(key.startsWith("/"));
        assertFalse(key.contains("//"));
    }
}
