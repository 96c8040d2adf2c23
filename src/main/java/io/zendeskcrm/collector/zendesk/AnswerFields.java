package io.zendeskcrm.collector.zendesk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * The fields of a Zendesk answer that decide where a stream goes next, read only when they have the type
 * Zendesk documents: a cursor sent as a number or {@code "false"} as text would be taken for something it
 * is not (a number sent back as a cursor, a string read as "not the end"). Any other type fails the page
 * before anything of it is written, naming the field, the position and what belongs there.
 */
final class AnswerFields {
    private static final int SHOWN = 60;

    private final String stream;
    private final String request;

    /** @param request the position the answer is for, as messages name it */
    AnswerFields(String stream, String request) {
        this.stream = stream;
        this.request = request;
    }

    /** A text field, or null when it is absent or null. */
    String text(JsonNode parent, String field, String name, String what) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) return null;
        if (!value.isTextual()) throw wrong(name, value, what);
        return value.asText();
    }

    /** A true/false field, or {@code absent} when it is absent or null. */
    boolean bool(JsonNode parent, String field, String name, boolean absent) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) return absent;
        if (!value.isBoolean()) throw wrong(name, value, "true or false");
        return value.booleanValue();
    }

    /** An object field, or a missing node when it is absent or null. */
    JsonNode object(JsonNode parent, String field, String name) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) return MissingNode.getInstance();
        if (!value.isObject()) throw wrong(name, value, "an object");
        return value;
    }

    /** The answer's records field when it is there but not a list. */
    ZendeskException notAList(String field, JsonNode value) {
        return wrong(field, value, "a list of records");
    }

    private ZendeskException wrong(String name, JsonNode value, String what) {
        String shown = value.toString();
        if (shown.length() > SHOWN) shown = shown.substring(0, SHOWN) + "…";
        return new ZendeskException(stream + ": Zendesk's answer at " + request + " has \"" + name + "\" " + shown + ", where "
                + what + " belongs; nothing of the page is written, and the next run asks again", 0);
    }
}
