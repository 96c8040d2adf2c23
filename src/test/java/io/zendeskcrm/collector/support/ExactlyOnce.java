package io.zendeskcrm.collector.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The promise, as assertions over what a bucket holds and what the fake Zendesk account has. */
public final class ExactlyOnce {
    private ExactlyOnce() {}

    /** Every audit record of the account, each exactly once. */
    public static void assertAudits(List<JsonNode> written, FakeZendesk zendesk) {
        List<Long> ids = written.stream().map(a -> a.get("id").asLong()).sorted().toList();
        assertEquals(zendesk.auditIds().stream().sorted().toList(), ids, "every audit record exactly once");
    }

    /** No ticket version (id at generated_timestamp) twice, and every ticket's current version there. */
    public static void assertTickets(List<JsonNode> written, FakeZendesk zendesk) {
        Set<String> versions = new HashSet<>();
        Map<Long, Long> latest = new HashMap<>();
        for (JsonNode t : written) {
            String version = t.get("id").asLong() + "@" + t.get("generated_timestamp").asLong();
            assertTrue(versions.add(version), "ticket version written twice: " + version);
            latest.merge(t.get("id").asLong(), t.get("generated_timestamp").asLong(), Math::max);
        }
        assertEquals(zendesk.currentTickets(), latest, "every ticket's current version");
    }
}
