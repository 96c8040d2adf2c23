package io.zendeskcrm.collector.zendesk;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;

/**
 * A Zendesk list answer read as it arrives: the records one at a time, handed on before the next is
 * read, and the other top-level fields ({@code meta}, {@code after_cursor}, ...) whole. A page is so
 * never held as a parsed whole. A body that ends early or is not JSON is an {@link IOException}, which
 * {@link RetryingRequests} retries.
 */
final class ListAnswer {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Takes one entry of the records array (any JSON value: the handler decides what a non-record means). */
    @FunctionalInterface
    interface Entries {
        void entry(int index, JsonNode entry);
    }

    /**
     * @param rest       the answer's top-level fields other than the records
     * @param hadRecords whether the answer had the records array at all
     */
    record Rest(ObjectNode rest, boolean hadRecords) {}

    private ListAnswer() {}

    static Rest read(InputStream body, String recordsField, Entries entries) throws IOException {
        try (JsonParser parser = JSON.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) throw new IOException("the answer is not a JSON object");
            ObjectNode rest = JSON.createObjectNode();
            boolean hadRecords = false;
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (value == null) throw new IOException("the answer ends after \"" + field + "\"");
                if (field.equals(recordsField) && value == JsonToken.START_ARRAY) {
                    hadRecords = true;
                    int index = 0;
                    while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
                        if (token == null) throw new IOException("the answer ends inside \"" + recordsField + "\"");
                        entries.entry(index++, parser.readValueAsTree());
                    }
                } else {
                    rest.set(field, parser.readValueAsTree());
                }
            }
            if (token != JsonToken.END_OBJECT) throw new IOException("the answer ends before its last field");
            return new Rest(rest, hadRecords);
        }
    }
}
