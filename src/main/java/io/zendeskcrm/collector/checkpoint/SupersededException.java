package io.zendeskcrm.collector.checkpoint;

/**
 * Another pass took over the checkpoint: this pass stops and writes nothing more. It is not a
 * failure; the newer pass carries on from the last committed position.
 */
public class SupersededException extends RuntimeException {
    public SupersededException(String location, Checkpoint.Owner newer) {
        super("another pass (" + newer.pass() + ", epoch " + newer.epoch() + ") took over the checkpoint at " + location
                + "; this pass stops and leaves the work to it");
    }

    private SupersededException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The owner committed before each of this pass's take-over attempts: it is busy with the work. */
    static SupersededException busy(String location, Checkpoint.Owner owner) {
        return new SupersededException("the pass that owns the checkpoint at " + location + " (" + owner.pass() + ", epoch "
                + owner.epoch() + ") committed progress before each take-over attempt; it is running, so this pass stops"
                + " and leaves the work to it", (Throwable) null);
    }

    public SupersededException(String location) {
        super("the checkpoint at " + location + " was removed while this pass ran; this pass stops");
    }
}
