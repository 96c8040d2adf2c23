package io.zendeskcrm.collector.reconcile;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The records the bucket holds for one day of one stream: which identities, in which object each was
 * first met, and those met more than once (a duplicate) with the objects that hold them; for ticket
 * versions also the newest version held of each ticket.
 */
final class DayIndex {
    /** How many ids and keys a report lists (the counts are always whole). */
    static final int LISTED = 20;
    private static final int DUPLICATE = 1 << 30;
    /** Versions are kept as seconds from here, which an int holds until 2088. */
    private static final long VERSIONS_FROM = 1_577_836_800L; // 2020-01-01T00:00:00Z

    private LongIntMap newestVersions; // ticket id -> newest version held; made for versioned records only

    private final LongIntMap stored = new LongIntMap();
    private long duplicated;
    private final List<String> duplicatedIds = new ArrayList<>();
    private final Set<String> duplicatedKeys = new LinkedHashSet<>();

    /** Counts a record met in the object {@code keys.get(keyIndex)}. */
    void add(StreamIdentity.Seen seen, int keyIndex, List<String> keys) {
        if (seen.idHash() != seen.hash()) {
            if (newestVersions == null) newestVersions = new LongIntMap();
            int version = (int) Math.max(0, seen.time().getEpochSecond() - VERSIONS_FROM);
            if (newestVersions.get(seen.idHash()) < version) newestVersions.put(seen.idHash(), version);
        }
        int previous = stored.put(seen.hash(), keyIndex);
        if (previous == LongIntMap.ABSENT) return;
        stored.put(seen.hash(), previous | DUPLICATE); // remember the first holder, and that it has company
        if ((previous & DUPLICATE) == 0) {
            duplicated++;
            if (duplicatedIds.size() < LISTED) duplicatedIds.add(seen.identity());
        }
        if (duplicatedKeys.size() < LISTED * 5) {
            duplicatedKeys.add(keys.get(previous & ~DUPLICATE));
            duplicatedKeys.add(keys.get(keyIndex));
        }
    }

    /** The record itself, or for a ticket version that version or a later one of the same ticket. */
    boolean holds(StreamIdentity.Seen seen) {
        if (stored.get(seen.hash()) != LongIntMap.ABSENT) return true;
        return newestVersions != null && seen.idHash() != seen.hash()
                && newestVersions.get(seen.idHash()) >= seen.time().getEpochSecond() - VERSIONS_FROM;
    }

    /** Distinct records held. */
    int size() {
        return stored.size();
    }

    /** Records held more than once. */
    long duplicated() {
        return duplicated;
    }

    List<String> duplicatedIds() {
        return duplicatedIds;
    }

    Set<String> duplicatedKeys() {
        return duplicatedKeys;
    }
}
