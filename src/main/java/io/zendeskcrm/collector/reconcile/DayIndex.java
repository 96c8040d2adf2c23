package io.zendeskcrm.collector.reconcile;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The records the bucket holds for one day of one stream: which identities, in which object each was
 * first met, and those met more than once (a duplicate) with the objects that hold them.
 */
final class DayIndex {
    /** How many ids and keys a report lists (the counts are always whole). */
    static final int LISTED = 20;
    private static final int DUPLICATE = 1 << 30;

    private final LongIntMap stored = new LongIntMap();
    private long duplicated;
    private final List<String> duplicatedIds = new ArrayList<>();
    private final Set<String> duplicatedKeys = new LinkedHashSet<>();

    /** Counts a record met in the object {@code keys.get(keyIndex)}. */
    void add(RecordIdentity.Seen seen, int keyIndex, List<String> keys) {
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

    boolean contains(long hash) {
        return stored.get(hash) != LongIntMap.ABSENT;
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
