package io.zendeskcrm.collector.checkpoint;

/** Another run changed the checkpoint since this run read it; this run stops without writing over it. */
public class CheckpointConflictException extends RuntimeException {
    public CheckpointConflictException(String location) {
        super("the checkpoint at " + location + " was changed by another run; this run stops so that progress is"
                + " not overwritten (is a second collector using the same STATE_KEY?)");
    }
}
