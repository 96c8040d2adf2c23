package io.zendeskcrm.collector.reconcile;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * How one stream's records are told apart and dated. Audit and access logs: {@code id}, dated by their
 * own time field. Tickets: the export returns a ticket's versions, so a version is {@code id} at its
 * {@code generated_timestamp} (epoch seconds), and that is its date too.
 *
 * @param idField    the field that identifies a record
 * @param timeField  the field that dates it
 * @param versioned  true when the time is part of the identity (the ticket export)
 */
record StreamIdentity(String idField, String timeField, boolean versioned) {
    private static final JsonFactory JSON = new JsonFactory();

    /**
     * One stored or fetched record as reconcile sees it.
     *
     * @param identity the record's identity as reported ({@code 123}, or {@code 123@1795000000} for a ticket version)
     * @param time     the time it is dated by
     * @param hash     a 64-bit digest of the identity, which is what is kept in memory
     * @param idHash   a 64-bit digest of the id alone: the same for every version of a ticket
     */
    record Seen(String identity, Instant time, long hash, long idHash) {}

    /** The identity of one NDJSON line, or null when the line has no id or no readable time. */
    Seen of(String line) {
        String id = null;
        String time = null;
        try (JsonParser parser = JSON.createParser(line.getBytes(StandardCharsets.UTF_8))) {
            if (parser.nextToken() != JsonToken.START_OBJECT) return null;
            while (parser.nextToken() == JsonToken.FIELD_NAME && (id == null || time == null)) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (value.isScalarValue() && value != JsonToken.VALUE_NULL) {
                    if (field.equals(idField)) id = parser.getText();
                    else if (field.equals(timeField)) time = parser.getText();
                } else {
                    parser.skipChildren();
                }
            }
        } catch (IOException e) {
            return null;
        }
        if (id == null || id.isEmpty() || time == null) return null;
        Instant at = instant(time);
        if (at == null) return null;
        String identity = versioned ? io.zendeskcrm.collector.sink.RecordIdentity.versioned(id, time) : id;
        long idHash = hash(id);
        return new Seen(identity, at, versioned ? hash(identity) : idHash, idHash);
    }

    private static Instant instant(String text) {
        try {
            if (text.chars().allMatch(Character::isDigit)) return Instant.ofEpochSecond(Long.parseLong(text));
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException | NumberFormatException e) {
            return null;
        }
    }

    /** FNV-1a over the identity's characters, then a finaliser: two of a million identities collide with odds of about 1 in 30 million. */
    static long hash(String identity) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < identity.length(); i++) {
            h ^= identity.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 31;
        h *= 0x7fb5d329728ea185L;
        h ^= h >>> 27;
        return h;
    }
}
