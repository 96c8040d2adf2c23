package io.zendeskcrm.collector.checkpoint;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * One pass's hold on the checkpoint: one writer at a time, by fencing rather than waiting.
 *
 * <p>A pass {@linkplain #takeOver takes over} the checkpoint before its first fetch by writing itself
 * in as owner with the next epoch (a conditional write). Every later {@link #commit} is conditional
 * on the version this pass last wrote; when it fails, the stored owner decides: still this pass
 * means the write was this pass's own (an SDK retry after an attempt that landed) and it is made
 * again on the new version; another pass means this one was fenced out ({@link SupersededException}).
 * There is no lease: a pass killed with SIGKILL never delays the next one, which simply takes over.
 *
 * <p>Streams of one pass may commit from several threads: commits are serialised here.
 */
public final class FencedCheckpoint {
    /** Conditional writes tried before giving up on a store that keeps answering "changed". */
    private static final int ATTEMPTS = 5;

    private final CheckpointStore store;
    private final String pass;
    /** Where the overlap's ids are kept; null for a store that keeps them in the document. */
    private final RecentSegments segments;
    private Checkpoint checkpoint;
    private String version;

    private FencedCheckpoint(CheckpointStore store, String pass, Checkpoint checkpoint, String version) {
        this.store = store;
        this.pass = pass;
        this.checkpoint = checkpoint;
        this.version = version;
        this.segments = store.parts().map(p -> new RecentSegments(p, store.location(), checkpoint.epoch())).orElse(null);
    }

    /**
     * Makes {@code pass} the owner. When another pass takes over between this pass's read and its
     * write, that pass is newer and this one yields ({@link SupersededException}); when the current
     * owner merely commits progress in between, the take-over is tried again on the new version; an
     * owner that commits faster than this pass can take over is busy, and this pass yields to it too.
     *
     * @throws CorruptCheckpointException when the stored checkpoint cannot be read
     */
    public static FencedCheckpoint takeOver(CheckpointStore store, String pass) {
        return takeOver(store, pass, (checkpoint, location) -> { });
    }

    /** What a pass does with each checkpoint it reads while taking over, before it writes anything. */
    @FunctionalInterface
    public interface OnRead {
        /** @throws CorruptCheckpointException when a stream's position cannot be resumed: nothing is written */
        void read(Checkpoint stored, String location);
    }

    /** The same, handing each checkpoint read to {@code onRead} before the take-over is written. */
    public static FencedCheckpoint takeOver(CheckpointStore store, String pass, OnRead onRead) {
        Long epochSeen = null;
        Checkpoint.Owner busy = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            Optional<CheckpointStore.Stored> stored = store.load();
            Checkpoint current = stored.map(s -> Checkpoint.parse(s.content(), store.location())).orElse(Checkpoint.empty());
            String currentVersion = stored.map(CheckpointStore.Stored::version).orElse(null);
            onRead.read(current, store.location());
            if (stored.isEmpty() && attempt == 1) checkConditionalWrites(store, pass);
            if (current.ownedBy(pass)) return new FencedCheckpoint(store, pass, current, currentVersion);
            if (epochSeen == null) {
                epochSeen = current.epoch();
            } else if (current.epoch() != epochSeen) {
                throw new SupersededException(store.location(), current.owner().orElseThrow());
            }
            busy = current.owner().orElse(null);
            Checkpoint mine = current.withOwner(new Checkpoint.Owner(pass, current.epoch() + 1));
            try {
                String written = store.commit(mine.toJson(), currentVersion);
                return new FencedCheckpoint(store, pass, mine, written);
            } catch (CheckpointConflictException e) {
                // Re-read: this pass's own write that landed, another take-over, or the owner's progress.
            }
        }
        // Every attempt lost to the owner's progress: it is running, and the work is in hand.
        if (busy != null) throw SupersededException.busy(store.location(), busy);
        throw new CheckpointConflictException(store.location());
    }

    /**
     * At a store's first use (no checkpoint yet): a create-only write made twice must be refused the second
     * time. The probe is a part beside the checkpoint, outside the data prefix, and is deleted after.
     *
     * @throws ConditionalWritesIgnoredException when the store replaced it
     */
    private static void checkConditionalWrites(CheckpointStore store, String pass) {
        Optional<CheckpointParts> parts = store.parts();
        if (parts.isEmpty()) return;
        String probe = "conditional-write-check/" + pass;
        parts.get().create(probe, new byte[] {'1'});
        boolean replaced = parts.get().create(probe, new byte[] {'2'});
        try {
            parts.get().delete(probe);
        } catch (RuntimeException e) {
            // A left-over probe is one byte outside the data prefix; the check's answer is what counts.
        }
        if (replaced) throw new ConditionalWritesIgnoredException(parts.get().location(probe));
    }

    public synchronized Optional<ObjectNode> position(String stream) {
        return checkpoint.position(stream).map(p -> segments == null ? p.deepCopy() : segments.full(stream, p));
    }

    /** Saves {@code position} for {@code stream} unless the checkpoint already holds it. */
    public synchronized void commit(String stream, ObjectNode position) {
        ObjectNode committed = checkpoint.position(stream).orElse(null);
        RecentSegments.Plan plan = segments == null ? null : segments.plan(stream, committed, position);
        ObjectNode stored = plan == null ? position : plan.stored();
        // Compared as text: a number read back from JSON may be an int node where the page built a long one.
        if (committed != null && committed.toString().equals(stored.toString())) return;
        write(checkpoint.with(stream, stored.deepCopy()));
        if (plan != null) segments.committed(stream, plan);
    }

    /** What of {@code stream}'s objects awaits import into SecOps, as last committed. */
    public synchronized Optional<ObjectNode> delivery(String stream) {
        return checkpoint.delivery(stream).map(ObjectNode::deepCopy);
    }

    /** Saves {@code stream}'s delivery state (null: nothing awaits import) unless the checkpoint already holds it. */
    public synchronized void commitDelivery(String stream, ObjectNode state) {
        ObjectNode committed = checkpoint.delivery(stream).orElse(null);
        if (committed == null ? state == null : state != null && committed.toString().equals(state.toString())) return;
        write(checkpoint.withDelivery(stream, state == null ? null : state.deepCopy()));
    }

    /** Writes {@code next} over the version this pass last wrote; a conflict is settled by the stored owner. */
    private void write(Checkpoint next) {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                version = store.commit(next.toJson(), version);
                checkpoint = next;
                return;
            } catch (CheckpointConflictException e) {
                adoptOwnWrite();
            }
        }
        throw new CheckpointConflictException(store.location());
    }

    /**
     * Fails with {@link SupersededException} unless this pass still owns the checkpoint. Called before
     * an object is written, so that a pass fenced out while it fetched writes nothing.
     */
    public synchronized void confirmOwner() {
        // The version alone tells that nothing changed: the document is read only when it did.
        if (store.version().filter(version::equals).isPresent()) return;
        adopt(store.load());
    }

    /** After a failed conditional write: takes the stored version if this pass wrote it, else stops. */
    private void adoptOwnWrite() {
        adopt(store.load());
    }

    private void adopt(Optional<CheckpointStore.Stored> stored) {
        if (stored.isEmpty()) throw new SupersededException(store.location());
        Checkpoint current = Checkpoint.parse(stored.get().content(), store.location());
        if (!current.ownedBy(pass)) throw new SupersededException(store.location(), current.owner().orElse(
                new Checkpoint.Owner("unknown", current.epoch())));
        // Only this pass writes with its own name, and it writes one version at a time: the stored
        // document is this pass's latest write (or the one before it, re-made by the next commit).
        version = stored.get().version();
        checkpoint = current;
    }

    public String location() {
        return store.location();
    }
}
