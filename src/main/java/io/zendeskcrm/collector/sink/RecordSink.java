package io.zendeskcrm.collector.sink;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * Where encoded pages go. Objects are write-once: a key, once written, never changes, because the
 * SecOps feed ingests every new version of an object again. A write either completes durably or
 * throws; it never leaves a partial object.
 */
public interface RecordSink {

    /** Stores {@code content} under {@code key} unless an object exists there; false (nothing changed) when one does. */
    boolean create(String key, byte[] content);

    /** The object at {@code key}, or empty when there is none. */
    Optional<byte[]> read(String key);

    /** The object at {@code key} as a stream to read it as it arrives (the caller closes it), or empty when there is none. */
    default Optional<InputStream> open(String key) {
        return read(key).map(ByteArrayInputStream::new);
    }

    /**
     * What lies directly under {@code folder} (a key prefix ending in {@code /}), sorted: the objects' keys
     * and the sub-folders, each of those ending in {@code /}. Empty when there is nothing there.
     */
    List<String> list(String folder);
}
