package io.zendeskcrm.collector.zendesk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Adds a top-level {@code timestamp} (ISO 8601, UTC) to a record that has none, copied from one of its
 * own time fields: SecOps' ZENDESK_CRM parser takes the event time only from {@code timestamp}.
 */
public final class TimestampField {
    public static final TimestampField OFF = new TimestampField(false);
    public static final TimestampField ON = new TimestampField(true);

    private final boolean enabled;

    private TimestampField(boolean enabled) {
        this.enabled = enabled;
    }

    public static TimestampField of(boolean enabled) {
        return enabled ? ON : OFF;
    }

    /**
     * Adds the {@code timestamp} to the parsed record, when it is on and the record has none.
     *
     * @return the value added, for the record's line; null when nothing was added
     */
    String add(ObjectNode record, String sourceField) {
        if (!enabled || record.has("timestamp")) return null;
        JsonNode source = record.get(sourceField);
        if (source == null || !source.isTextual()) return null;
        try {
            String utc = OffsetDateTime.parse(source.asText()).withOffsetSameInstant(ZoneOffset.UTC)
                    .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME).replace("+00:00", "Z");
            record.put("timestamp", utc);
            return utc;
        } catch (DateTimeParseException e) {
            return null; // the record stays as Zendesk sent it; the feed then uses the ingestion time
        }
    }
}
