package io.zendeskcrm.collector.checkpoint;

/**
 * A conditional write found another version than the one it expected. Only the version tells: the
 * store does not guess whose write it was; {@link FencedCheckpoint} reads the owner to decide.
 */
public class CheckpointConflictException extends RuntimeException {
    public CheckpointConflictException(String location) {
        super("the checkpoint at " + location + " was changed by another writer");
    }
}
