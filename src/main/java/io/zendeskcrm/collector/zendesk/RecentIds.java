package io.zendeskcrm.collector.zendesk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The ids a windowed stream has written in the seconds its next window reads again, by the second of
 * their record's time, as the checkpoint holds them ({@code {"2026-11-20T11:55:13Z": ["90817"]}}).
 * Reads the earlier {@code {id: time}} form too.
 */
final class RecentIds {
    private final TreeMap<Instant, Set<String>> bySecond = new TreeMap<>();
    private final Set<String> all = new HashSet<>();

    static RecentIds of(JsonNode json) {
        RecentIds recent = new RecentIds();
        if (!json.isObject()) return recent;
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isArray()) {
                Instant second = Instant.parse(e.getKey());
                e.getValue().forEach(id -> recent.add(second, id.asText()));
            } else {
                recent.add(WindowedStream.floorSecond(Instant.parse(e.getValue().asText())), e.getKey());
            }
        }
        return recent;
    }

    boolean contains(String id) {
        return all.contains(id);
    }

    void add(Instant time, String id) {
        if (all.add(id)) bySecond.computeIfAbsent(WindowedStream.floorSecond(time), t -> new LinkedHashSet<>()).add(id);
    }

    int size() {
        return all.size();
    }

    RecentIds from(Instant from) {
        RecentIds kept = new RecentIds();
        bySecond.tailMap(from, true).forEach((second, ids) -> ids.forEach(id -> kept.add(second, id)));
        return kept;
    }

    ObjectNode toJson() {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        bySecond.forEach((second, ids) -> {
            ArrayNode arr = out.putArray(second.toString());
            ids.forEach(arr::add);
        });
        return out;
    }
}
