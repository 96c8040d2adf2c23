package io.zendeskcrm.collector.zendesk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Checks of a checkpoint position's fields, before a pass resumes it: each names the field, what it holds
 * and what belongs there, so that a hand-edited or damaged position stops the pass instead of being sent to
 * Zendesk (a number as a cursor) or rewritten.
 */
final class PositionFields {
    private static final int SHOWN = 60;

    private PositionFields() {}

    /** A field that must be there and be a time ({@code 2026-11-20T11:59:00Z}). */
    static Optional<String> time(ObjectNode position, String field) {
        JsonNode value = position.get(field);
        if (value == null || value.isNull()) return Optional.of("has no \"" + field + "\" (a time such as 2026-11-20T11:59:00Z)");
        return optionalTime(position, field);
    }

    /** A field that may be absent or null, and is otherwise a time. */
    static Optional<String> optionalTime(ObjectNode position, String field) {
        JsonNode value = position.get(field);
        if (value == null || value.isNull()) return Optional.empty();
        if (value.isTextual()) {
            try {
                Instant.parse(value.asText());
                return Optional.empty();
            } catch (DateTimeParseException e) {
                // said below
            }
        }
        return wrong(field, value, "a time such as 2026-11-20T11:59:00Z");
    }

    /** A field that may be absent or null, and is otherwise a non-empty text (a cursor: Zendesk's are texts). */
    static Optional<String> optionalText(ObjectNode position, String field, String what) {
        JsonNode value = position.get(field);
        if (value == null || value.isNull() || (value.isTextual() && !value.asText().isEmpty())) return Optional.empty();
        return wrong(field, value, what);
    }

    /** A field that may be absent, and is otherwise a whole number of at least 0. */
    static Optional<String> optionalCount(ObjectNode position, String field, String what) {
        JsonNode value = position.get(field);
        if (value == null || (value.isIntegralNumber() && value.canConvertToLong() && value.asLong() >= 0)) return Optional.empty();
        return wrong(field, value, what);
    }

    static Optional<String> wrong(String field, JsonNode value, String expected) {
        String shown = value.toString();
        if (shown.length() > SHOWN) shown = shown.substring(0, SHOWN) + "…";
        return Optional.of("has \"" + field + "\" " + shown + ", where " + expected + " belongs");
    }

    /** The first problem of several, in order. */
    @SafeVarargs
    static Optional<String> first(Optional<String>... problems) {
        for (Optional<String> p : problems) if (p.isPresent()) return p;
        return Optional.empty();
    }
}
