package io.zendeskcrm.collector.deliver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zendeskcrm.collector.checkpoint.FencedCheckpoint;
import io.zendeskcrm.collector.sink.NdjsonEncoder;
import io.zendeskcrm.collector.sink.RecordIdentity;
import io.zendeskcrm.collector.sink.RecordSink;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Direct delivery: every object a stream writes is also imported into SecOps, record by record as the
 * bucket holds it, once it is durable. Tracked per stream in the checkpoint ({@code deliveries}):
 *
 * <pre>{"objects": ["zendesk/crm/audit_logs/…ndjson.gz", …], "imported": 1200, "sending": 2400}</pre>
 *
 * <ul>
 *   <li>an object's key is added to {@code objects} before the object is created: a pass that dies after
 *       writing it and before importing it leaves it listed, and the next pass imports it (one that died
 *       before writing it leaves a key with no object, which is dropped);</li>
 *   <li>{@code imported}: how many lines of the first object SecOps has taken; {@code sending}, present
 *       while a batch is on its way: the lines up to it may have been taken. A pass that finds
 *       {@code sending} sends those lines again, since {@code logs:import} has no idempotency key, and
 *       counts them as {@code reimported_records};</li>
 *   <li>an object leaves the list once all its lines are imported.</li>
 * </ul>
 * A stream delivers what it wrote before it reads on, so the list holds at most one page's objects.
 */
public final class Delivery {
    private static final Logger LOG = Logger.getLogger(Delivery.class);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Delivery off: nothing is tracked or sent. */
    public static final Delivery OFF = new Delivery(null, null, Clock.systemUTC());

    /** What one call delivered. */
    public record Sent(long records, long reimported) {
        public static final Sent NONE = new Sent(0, 0);
    }

    private final RecordSink sink;
    private final ChronicleImport chronicle;
    private final Clock clock;

    public Delivery(RecordSink sink, ChronicleImport chronicle, Clock clock) {
        this.sink = sink;
        this.chronicle = chronicle;
        this.clock = clock;
    }

    public boolean on() {
        return chronicle != null;
    }

    /**
     * Before {@code key} is created: lists it for import unless it is listed, or already exists (written and
     * delivered by an earlier pass; the write that follows will find it taken).
     */
    public void intend(FencedCheckpoint checkpoint, String stream, String key) {
        if (!on()) return;
        ObjectNode state = checkpoint.delivery(stream).orElseGet(Delivery::nothingPending);
        for (JsonNode k : state.get("objects")) if (k.asText().equals(key)) return;
        if (exists(key)) return;
        ((ArrayNode) state.get("objects")).add(key);
        checkpoint.commitDelivery(stream, state);
    }

    /** Imports every object {@code stream} has pending, in order, committing after each batch. */
    public Sent deliverPending(FencedCheckpoint checkpoint, String stream) {
        if (!on()) return Sent.NONE;
        long records = 0;
        long reimported = 0;
        for (Optional<ObjectNode> pending = checkpoint.delivery(stream); pending.isPresent(); pending = checkpoint.delivery(stream)) {
            Sent sent = deliverFirst(checkpoint, stream, pending.get());
            records += sent.records();
            reimported += sent.reimported();
        }
        return new Sent(records, reimported);
    }

    private Sent deliverFirst(FencedCheckpoint checkpoint, String stream, ObjectNode state) {
        ArrayNode objects = (ArrayNode) state.get("objects");
        if (objects.isEmpty()) {
            checkpoint.commitDelivery(stream, null);
            return Sent.NONE;
        }
        String key = objects.get(0).asText();
        long imported = state.path("imported").asLong(0);
        long maybeSent = state.path("sending").asLong(imported);
        Optional<InputStream> object = sink.open(key);
        if (object.isEmpty()) {
            LOG.infof("%s: %s was listed for SecOps but never written (a pass stopped before writing it); nothing to import",
                    stream, key);
            checkpoint.commitDelivery(stream, withoutFirst(objects));
            return Sent.NONE;
        }
        Batches batches = new Batches(checkpoint, stream, key, objects, imported, maybeSent);
        try (InputStream in = object.get()) {
            NdjsonEncoder.forEachLine(in, batches::line);
        } catch (IOException e) {
            throw new DeliveryException(stream + ": " + key + " could not be read for SecOps (" + e.getMessage() + ")");
        }
        batches.flush();
        checkpoint.commitDelivery(stream, withoutFirst(objects));
        if (batches.reimported > 0) {
            LOG.warnf("%s: %d records of %s were sent to SecOps again: a pass stopped after sending them and before"
                    + " recording it (logs:import has no idempotency key); counted as reimported_records", stream,
                    batches.reimported, key);
        }
        return new Sent(batches.sent, batches.reimported);
    }

    /** Fills bodies line by line from the first line not yet imported, and sends each when the next line would not fit. */
    private final class Batches {
        final FencedCheckpoint checkpoint;
        final String stream;
        final String key;
        final ArrayNode objects;
        final long maybeSent;
        long line;
        long imported;
        ImportBody body;
        long sent;
        long reimported;

        Batches(FencedCheckpoint checkpoint, String stream, String key, ArrayNode objects, long imported, long maybeSent) {
            this.checkpoint = checkpoint;
            this.stream = stream;
            this.key = key;
            this.objects = objects;
            this.imported = imported;
            this.maybeSent = maybeSent;
        }

        void line(byte[] record) {
            long index = line++;
            if (index < imported) return;
            if (ImportBody.sizeAlone(record.length) > ImportBody.MAX_BYTES) {
                flush();
                // What went before it is recorded as imported: the next pass starts at this record.
                checkpoint.commitDelivery(stream, pending(objects, imported, null));
                throw new DeliveryException(stream + ": record " + (index + 1) + " of " + key + recordId(record) + " is "
                        + record.length + " bytes, more than one logs:import request carries (" + ImportBody.MAX_BYTES
                        + " bytes, base64 included); it stays in the bucket, and delivery stops here until it is removed"
                        + " from the checkpoint's deliveries");
            }
            if (body != null && !body.fits(record.length)) flush();
            if (body == null) body = new ImportBody(clock.instant());
            body.add(record, entryTime(record, clock.instant()));
        }

        /**
         * Sends the body in hand: recorded as on its way first, then as imported (with the next batch's commit, or
         * the object's). A body SecOps refused is recorded as not on its way: sending it again is no reimport.
         */
        void flush() {
            if (body == null) return;
            long from = imported;
            long to = from + body.logs();
            checkpoint.commitDelivery(stream, pending(objects, from, to));
            chronicle.send(stream, "records " + (from + 1) + "-" + to + " of " + key, body.finish(),
                    () -> checkpoint.commitDelivery(stream, pending(objects, from, null)));
            body = null;
            sent += to - from;
            if (from < maybeSent) reimported += Math.min(to, maybeSent) - from;
            imported = to;
        }
    }

    /** The state with {@code imported} lines of the first object taken and, while a batch is on its way, {@code sending}. */
    private static ObjectNode pending(ArrayNode objects, long imported, Long sending) {
        ObjectNode state = NODES.objectNode();
        state.putArray("objects").addAll(objects);
        if (imported > 0) state.put("imported", imported);
        if (sending != null) state.put("sending", sending.longValue());
        return state;
    }

    /** The state once the first object is imported whole: it leaves the list (null when none is left). */
    private static ObjectNode withoutFirst(ArrayNode objects) {
        if (objects.size() <= 1) return null;
        ObjectNode state = NODES.objectNode();
        ArrayNode list = state.putArray("objects");
        for (int i = 1; i < objects.size(); i++) list.add(objects.get(i));
        return state;
    }

    private static ObjectNode nothingPending() {
        ObjectNode state = NODES.objectNode();
        state.putArray("objects");
        return state;
    }

    private boolean exists(String key) {
        Optional<InputStream> object = sink.open(key);
        object.ifPresent(o -> {
            try {
                o.close();
            } catch (IOException ignored) {
                // Only its existence was asked.
            }
        });
        return object.isPresent();
    }

    /**
     * The record's own time ({@code timestamp}, else {@code created_at}, else {@code updated_at}), at most a
     * millisecond before the collection time SecOps requires it to precede; the collection time without one.
     */
    static Instant entryTime(byte[] record, Instant now) {
        Instant latest = now.minusMillis(1);
        try {
            ObjectNode head = RecordIdentity.of(record).head();
            for (String field : new String[] {"timestamp", "created_at", "updated_at"}) {
                JsonNode v = head.get(field);
                if (v != null && v.isTextual()) {
                    Instant t = OffsetDateTime.parse(v.asText()).toInstant();
                    return t.isAfter(latest) ? latest : t;
                }
            }
        } catch (DateTimeParseException | IllegalStateException e) {
            // Not a time: the collection time stands in.
        }
        return latest;
    }

    private static String recordId(byte[] record) {
        try {
            JsonNode id = RecordIdentity.of(record).head().get("id");
            return id == null ? "" : " (id " + id.asText() + ")";
        } catch (IllegalStateException e) {
            return "";
        }
    }
}
