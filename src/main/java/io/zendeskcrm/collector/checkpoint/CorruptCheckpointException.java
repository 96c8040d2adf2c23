package io.zendeskcrm.collector.checkpoint;

/** The stored checkpoint cannot be read. It is left untouched: fixing or removing it is a human decision. */
public class CorruptCheckpointException extends RuntimeException {
    public CorruptCheckpointException(String location, String problem) {
        super("the checkpoint at " + location + " is unreadable: " + problem
                + "; it is left as it is (restore a previous version or delete it to start again from the lookback)");
    }
}
