package io.zendeskcrm.collector.sink;

/** Where encoded pages go. A write either completes durably or throws; it never leaves a partial object. */
public interface RecordSink {

    /** Stores {@code content} under {@code key}, replacing any object already there (keys are deterministic). */
    void write(String key, byte[] content);
}
