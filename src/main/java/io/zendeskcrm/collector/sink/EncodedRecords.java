package io.zendeskcrm.collector.sink;

/**
 * A page's records as the object that holds them: one record per line, compressed as configured. A
 * page is kept in this form only, so that a page in memory costs about its compressed size.
 *
 * @param content the object's bytes
 * @param count   how many records (lines) it holds
 */
public record EncodedRecords(byte[] content, int count) {
    public boolean isEmpty() {
        return count == 0;
    }
}
