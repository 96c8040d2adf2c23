package io.zendeskcrm.collector.stream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zendeskcrm.collector.sink.EncodedRecords;
import java.time.Instant;

/**
 * One page read from a stream.
 *
 * @param records     the records to write, already de-duplicated, exactly as Zendesk returned them, in the
 *                    form of the object that will hold them (a page is never held as parsed records)
 * @param next        the position after this page, committed once the records are durable
 * @param endOfStream true when the stream has nothing more for now
 * @param keyTime     the time the page's object key is dated by (from the position it was read at)
 * @param request     what identifies the request (cursor, window): equal requests give equal keys
 * @param reread      records on the page that an overlapping window had already written (skipped)
 * @param withoutId   records on the page that carry no {@code id} (written all the same)
 * @param newest      the time of the newest record in {@code records}, or null when it holds none
 */
public record Page(EncodedRecords records, ObjectNode next, boolean endOfStream, Instant keyTime, String request,
                   int reread, int withoutId, Instant newest) {

    public Page(EncodedRecords records, ObjectNode next, boolean endOfStream, Instant keyTime, String request) {
        this(records, next, endOfStream, keyTime, request, 0, 0, null);
    }
}
