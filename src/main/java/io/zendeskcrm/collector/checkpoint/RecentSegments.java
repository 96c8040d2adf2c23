package io.zendeskcrm.collector.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * A position's {@code recent} (the overlap's ids, by second) kept beside the checkpoint in write-once
 * segments, so that committing a page writes the ids that page added, not every id of the overlap.
 *
 * <p>In the document the position lists its segments ({@code "recent_segments": ["recent/audit_logs/42-1.json"]})
 * instead of holding {@code recent}; the ids are the union of the segments. A commit that only adds ids
 * writes one segment with them; one that drops ids (a window closes and keeps only the next overlap) writes
 * the surviving ids as one segment and, once the document no longer lists the old ones, deletes them.
 * A segment is written before the document that lists it and deleted only after the document that listed
 * it is replaced: a crash in between leaves an unlisted segment, which nothing reads.
 */
final class RecentSegments {
    private static final Logger LOG = Logger.getLogger(RecentSegments.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String FIELD = "recent";
    static final String SEGMENTS = "recent_segments";
    /** Past this many segments the next commit compacts them, so that the document stays small. */
    static final int MOST_SEGMENTS = 128;

    private final CheckpointParts parts;
    private final String location;
    private final long epoch;
    private final Map<String, Assembled> byStream = new HashMap<>();
    private int written;

    /** @param epoch the owning pass's epoch, which names its segments apart from any other pass's */
    RecentSegments(CheckpointParts parts, String location, long epoch) {
        this.parts = parts;
        this.location = location;
        this.epoch = epoch;
    }

    /** The ids a list of segments holds. */
    private record Assembled(List<String> names, ObjectNode recent) {}

    /**
     * What a commit stores for a stream, and the segments it leaves unlisted.
     *
     * @param stored the position as the document holds it
     */
    record Plan(ObjectNode stored, Assembled assembled, List<String> unlisted) {}

    /** The position with its ids in place, read from its segments (once; then from memory). */
    ObjectNode full(String stream, ObjectNode stored) {
        ObjectNode full = stored.deepCopy();
        if (!stored.has(SEGMENTS)) return full; // none, or held in the document by an earlier version
        full.remove(SEGMENTS);
        full.set(FIELD, assembled(stream, stored).recent().deepCopy());
        return full;
    }

    /**
     * Writes the segment {@code position} needs beside {@code committed} (the stream's position in the
     * document now, or null) and says what the document then holds.
     */
    Plan plan(String stream, ObjectNode committed, ObjectNode position) {
        JsonNode recent = position.get(FIELD);
        Assembled before = committed == null ? new Assembled(List.of(), JSON.createObjectNode())
                : committed.has(SEGMENTS) ? assembled(stream, committed) : null; // null: the ids are in the document
        List<String> listed = before == null ? List.of() : before.names();
        if (recent == null || !recent.isObject()) return new Plan(position, null, listed);
        ObjectNode ids = (ObjectNode) recent;
        Optional<ObjectNode> added = before == null ? Optional.empty() : added(before.recent(), ids);
        List<String> names = new ArrayList<>();
        if (added.isPresent() && listed.size() < MOST_SEGMENTS) {
            names.addAll(listed);
            if (!added.get().isEmpty()) names.add(write(stream, added.get()));
        } else if (!ids.isEmpty()) {
            names.add(write(stream, ids)); // compacted: the ids that are left, in one segment
        }
        ObjectNode stored = JSON.createObjectNode(); // the position without its ids, which the segments hold
        position.fields().forEachRemaining(f -> {
            if (!f.getKey().equals(FIELD)) stored.set(f.getKey(), f.getValue().deepCopy());
        });
        names.forEach(stored.putArray(SEGMENTS)::add);
        List<String> unlisted = listed.stream().filter(n -> !names.contains(n)).toList();
        return new Plan(stored, new Assembled(List.copyOf(names), ids.deepCopy()), unlisted);
    }

    /** After the document holding {@code plan} was stored: remembers its ids and deletes what it no longer lists. */
    void committed(String stream, Plan plan) {
        if (plan.assembled() != null) byStream.put(stream, plan.assembled());
        for (String name : plan.unlisted()) {
            try {
                parts.delete(name);
            } catch (RuntimeException e) {
                // Unlisted, it is read by nobody: left behind, it costs only its storage.
                LOG.warnf("%s: could not delete %s, which the checkpoint no longer lists: %s", stream, parts.location(name), e.getMessage());
            }
        }
    }

    private Assembled assembled(String stream, ObjectNode stored) {
        List<String> names = new ArrayList<>();
        stored.get(SEGMENTS).forEach(n -> names.add(n.asText()));
        Assembled known = byStream.get(stream);
        if (known != null && known.names().equals(names)) return known;
        Map<String, Set<String>> bySecond = new java.util.TreeMap<>();
        for (String name : names) {
            byte[] content = parts.read(name).orElseThrow(() -> new CorruptCheckpointException(location,
                    "the segment " + parts.location(name) + " that it lists for " + stream + " is missing"));
            JsonNode segment;
            try {
                segment = JSON.readTree(content);
            } catch (IOException e) {
                throw new CorruptCheckpointException(location, "the segment " + parts.location(name) + " is not JSON");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = segment.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> second = it.next();
                Set<String> ids = bySecond.computeIfAbsent(second.getKey(), k -> new LinkedHashSet<>());
                second.getValue().forEach(id -> ids.add(id.asText()));
            }
        }
        ObjectNode recent = JSON.createObjectNode();
        bySecond.forEach((second, ids) -> ids.forEach(recent.withArray(second)::add));
        known = new Assembled(List.copyOf(names), recent);
        byStream.put(stream, known);
        return known;
    }

    /** The ids of {@code after} that {@code before} lacks, by second; empty when {@code after} also drops some. */
    private static Optional<ObjectNode> added(ObjectNode before, ObjectNode after) {
        ObjectNode added = JSON.createObjectNode();
        Set<String> seconds = new HashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = after.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> second = it.next();
            if (!second.getValue().isArray()) return Optional.empty(); // another form: written whole
            seconds.add(second.getKey());
            // Most seconds of an overlap are as the last commit left them: compared in place, without sets.
            if (second.getValue().equals(before.get(second.getKey()))) continue;
            Set<String> had = texts(before.get(second.getKey()));
            Set<String> has = texts(second.getValue());
            if (!has.containsAll(had)) return Optional.empty();
            ArrayNode fresh = JSON.createArrayNode();
            has.stream().filter(id -> !had.contains(id)).forEach(fresh::add);
            if (!fresh.isEmpty()) added.set(second.getKey(), fresh);
        }
        for (Iterator<String> it = before.fieldNames(); it.hasNext(); ) {
            if (!seconds.contains(it.next())) return Optional.empty();
        }
        return Optional.of(added);
    }

    private static Set<String> texts(JsonNode array) {
        Set<String> out = new LinkedHashSet<>();
        if (array != null) array.forEach(id -> out.add(id.asText()));
        return out;
    }

    /** Creates a segment under a name of this pass's own; a name found taken holds this pass's own write, or is skipped. */
    private String write(String stream, ObjectNode ids) {
        byte[] content;
        try {
            content = JSON.writeValueAsBytes(ids);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        while (true) {
            String name = FIELD + "/" + stream + "/" + epoch + "-" + (++written) + ".json";
            if (parts.create(name, content)) return name;
            // Taken: an SDK retry whose first attempt landed (same bytes), or a name used before this object existed.
            if (parts.read(name).filter(there -> java.util.Arrays.equals(there, content)).isPresent()) return name;
        }
    }
}
