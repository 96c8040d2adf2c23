package io.zendeskcrm.collector.checkpoint;

import java.util.Optional;

/**
 * Objects kept beside the checkpoint, under its own key ({@code STATE_KEY.d/...}, never under the data
 * prefix): the parts of the document too large to rewrite with every page. A part is write-once and is
 * named once by the pass that writes it; the document lists the parts it uses.
 */
public interface CheckpointParts {

    /** Stores a part unless one of that name exists; false (nothing changed) when one does. */
    boolean create(String name, byte[] content);

    /** The part, or empty when there is none. */
    Optional<byte[]> read(String name);

    /** Removes a part (nothing when there is none). */
    void delete(String name);

    /** Where the part lives, for messages. */
    String location(String name);
}
