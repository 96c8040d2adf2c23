package io.zendeskcrm.collector.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The checkpoint document: a format version, the pass that owns it, one position per stream and, with
 * direct delivery to SecOps, per stream the objects written and not yet imported ({@code deliveries}).
 * Positions and deliveries are opaque here; each stream reads and writes its own.
 *
 * <pre>{"version": 2, "owner": {"pass": "...", "epoch": 7}, "streams": {"audit_logs": {...}, ...}, "deliveries": {...}}</pre>
 *
 * Version 1 (no owner) is read as epoch 0 and written back as version 2.
 */
public record Checkpoint(Optional<Owner> owner, Map<String, ObjectNode> streams, Map<String, ObjectNode> deliveries) {

    public static final int FORMAT_VERSION = 2;
    private static final int OLDEST_READABLE_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The pass that holds the checkpoint: {@code epoch} grows by one at every take-over, so a pass can
     * tell "another pass took over" from "the owner committed progress".
     */
    public record Owner(String pass, long epoch) {}

    public static Checkpoint empty() {
        return new Checkpoint(Optional.empty(), Map.of(), Map.of());
    }

    public long epoch() {
        return owner.map(Owner::epoch).orElse(0L);
    }

    public boolean ownedBy(String pass) {
        return owner.filter(o -> o.pass().equals(pass)).isPresent();
    }

    public Checkpoint withOwner(Owner next) {
        return new Checkpoint(Optional.of(next), streams, deliveries);
    }

    public Optional<ObjectNode> position(String stream) {
        return Optional.ofNullable(streams.get(stream));
    }

    public Checkpoint with(String stream, ObjectNode position) {
        Map<String, ObjectNode> copy = new LinkedHashMap<>(streams);
        copy.put(stream, position);
        return new Checkpoint(owner, Map.copyOf(copy), deliveries);
    }

    /** What of {@code stream}'s objects awaits import into SecOps; empty when nothing does. */
    public Optional<ObjectNode> delivery(String stream) {
        return Optional.ofNullable(deliveries.get(stream));
    }

    /** With {@code stream}'s delivery state replaced, or removed when {@code state} is null. */
    public Checkpoint withDelivery(String stream, ObjectNode state) {
        Map<String, ObjectNode> copy = new LinkedHashMap<>(deliveries);
        if (state == null) copy.remove(stream);
        else copy.put(stream, state);
        return new Checkpoint(owner, streams, Map.copyOf(copy));
    }

    public byte[] toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", FORMAT_VERSION);
        owner.ifPresent(o -> root.putObject("owner").put("pass", o.pass()).put("epoch", o.epoch()));
        ObjectNode s = root.putObject("streams");
        streams.keySet().stream().sorted().forEach(k -> s.set(k, streams.get(k)));
        if (!deliveries.isEmpty()) {
            ObjectNode d = root.putObject("deliveries");
            deliveries.keySet().stream().sorted().forEach(k -> d.set(k, deliveries.get(k)));
        }
        try {
            return JSON.writeValueAsBytes(root); // compact: it is rewritten after every page
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Checkpoint parse(byte[] content, String location) {
        JsonNode root;
        try {
            root = JSON.readTree(content);
        } catch (JsonProcessingException e) {
            throw new CorruptCheckpointException(location, "not JSON (" + e.getOriginalMessage() + ")");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        if (root == null || !root.isObject()) throw new CorruptCheckpointException(location, "not a JSON object");
        if (!root.has("version") && (root.has("audit_logs") || root.has("incremental_tickets"))) {
            throw new CorruptCheckpointException(location, "it is the reference Lambda's state file, whose saved links"
                    + " cannot be resumed; point STATE_KEY at a new key (outside S3_PREFIX)");
        }
        JsonNode version = root.get("version");
        if (version == null || !version.isInt()) throw new CorruptCheckpointException(location, "no \"version\" number");
        if (version.intValue() < OLDEST_READABLE_VERSION || version.intValue() > FORMAT_VERSION) {
            throw new CorruptCheckpointException(location, "format version " + version.intValue()
                    + " is not supported by this collector (it reads versions " + OLDEST_READABLE_VERSION + " to "
                    + FORMAT_VERSION + ")");
        }
        Optional<Owner> owner = Optional.empty();
        JsonNode o = root.get("owner");
        if (o != null) {
            if (!o.path("pass").isTextual() || !o.path("epoch").canConvertToLong()) {
                throw new CorruptCheckpointException(location, "\"owner\" needs a \"pass\" text and an \"epoch\" number");
            }
            owner = Optional.of(new Owner(o.get("pass").asText(), o.get("epoch").asLong()));
        }
        JsonNode streams = root.get("streams");
        if (streams == null || !streams.isObject()) throw new CorruptCheckpointException(location, "no \"streams\" object");
        Map<String, ObjectNode> positions = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = streams.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isObject()) {
                throw new CorruptCheckpointException(location, "the position of stream " + e.getKey() + " is not an object");
            }
            positions.put(e.getKey(), (ObjectNode) e.getValue());
        }
        Map<String, ObjectNode> deliveries = new LinkedHashMap<>();
        JsonNode d = root.path("deliveries");
        if (!d.isMissingNode() && !d.isObject()) throw new CorruptCheckpointException(location, "\"deliveries\" is not an object");
        for (Iterator<Map.Entry<String, JsonNode>> it = d.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isObject() || !e.getValue().path("objects").isArray()) {
                throw new CorruptCheckpointException(location, "the delivery of stream " + e.getKey() + " has no \"objects\" list");
            }
            deliveries.put(e.getKey(), (ObjectNode) e.getValue());
        }
        return new Checkpoint(owner, Map.copyOf(positions), Map.copyOf(deliveries));
    }

    @Override
    public String toString() {
        return new String(toJson(), StandardCharsets.UTF_8);
    }
}
