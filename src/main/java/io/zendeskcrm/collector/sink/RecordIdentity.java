package io.zendeskcrm.collector.sink;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What makes two stored lines the same record, whatever else differs between the passes that wrote
 * them (an added {@code timestamp}, the compression): its {@code id}, with the ticket export's
 * {@code generated_timestamp} when it has one (a ticket is exported again at every change); for a
 * record without an id, a hash of its content without {@code timestamp}.
 *
 * <p>A line is read field by field: only its top-level values are looked at, and its body (nested
 * objects, long texts) is skipped, so comparing a large page costs its ids, not its records.
 */
public final class RecordIdentity {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Longer texts are the record's body, not what names or dates it. */
    private static final int HEAD_TEXT_LIMIT = 200;

    private RecordIdentity() {}

    /**
     * @param identity what the record is compared by
     * @param head     the record's top-level numbers, flags and short texts (its id and times); a record
     *                 without an id is kept whole, since its identity is its content
     */
    public record Line(String identity, ObjectNode head) {}

    /** The identity of one stored line. */
    public static Line of(byte[] line) {
        ObjectNode head = JsonNodeFactory.instance.objectNode();
        try (JsonParser p = JSON.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw notARecord(null);
            for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                    p.skipChildren();
                } else if (value != JsonToken.VALUE_STRING || p.getTextLength() <= HEAD_TEXT_LIMIT) {
                    head.set(name, p.readValueAsTree());
                }
            }
        } catch (IOException e) {
            throw notARecord(e);
        }
        if (hasId(head)) return new Line(identity(head), head);
        ObjectNode whole = NdjsonEncoder.record(new String(line, StandardCharsets.UTF_8));
        return new Line(contentHash(whole), whole);
    }

    /** The identity of a record: its id (and generated_timestamp), or its content hash when it has no id. */
    public static String of(ObjectNode record) {
        return hasId(record) ? identity(record) : contentHash(record);
    }

    /** A record without an id, named by its content; {@code timestamp} is left out, as the collector may add it. */
    public static String contentHash(ObjectNode record) {
        ObjectNode content = record;
        if (record.has("timestamp")) {
            content = record.deepCopy();
            content.remove("timestamp");
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(content.toString().getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean hasId(ObjectNode record) {
        JsonNode id = record.get("id");
        return id != null && !id.isNull() && !id.isContainerNode() && !id.asText().isEmpty();
    }

    private static String identity(ObjectNode record) {
        JsonNode version = record.get("generated_timestamp");
        String id = record.get("id").asText();
        return version == null || version.isNull() ? id : versioned(id, version.asText());
    }

    /** A ticket version's identity, as the write-once chain and reconcile both name it: {@code 123@1795000000}. */
    public static String versioned(String id, String generatedTimestamp) {
        return id + "@" + generatedTimestamp;
    }

    private static IllegalStateException notARecord(IOException cause) {
        return new IllegalStateException("a stored line is not a JSON object", cause);
    }
}
