package io.zendeskcrm.collector.stream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/**
 * One page read from a stream.
 *
 * @param records     the records to write, already de-duplicated, exactly as Zendesk returned them
 * @param next        the position after this page, committed once the records are durable
 * @param endOfStream true when the stream has nothing more for now
 * @param keyTime     the time the page's object key is dated by (from the position it was read at)
 * @param request     what identifies the request (cursor, window): equal requests give equal keys
 * @param reread      records on the page that an overlapping window had already written (skipped)
 * @param withoutId   records on the page that carry no {@code id} (written all the same)
 */
public record Page(List<ObjectNode> records, ObjectNode next, boolean endOfStream, Instant keyTime, String request,
                   int reread, int withoutId) {

    public Page(List<ObjectNode> records, ObjectNode next, boolean endOfStream, Instant keyTime, String request) {
        this(records, next, endOfStream, keyTime, request, 0, 0);
    }
}
