package io.zendeskcrm.collector.reconcile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Ticket versions Zendesk returns that the bucket does not hold at that version: they are missing unless
 * the bucket holds a later version of the same ticket (the ticket changed again and the collector wrote
 * that). A later version is dated later, so it sits in the days compared after this one; each waits here
 * until such a day settles it or the period ends. Only what is awaited is held (its line too when it may be
 * repaired), never the bucket's versions.
 */
final class LaterVersions {
    record Awaited(String line, StreamIdentity.Seen seen) {}

    private final Map<Long, List<Awaited>> byTicket = new HashMap<>();

    /** @param version its line is null unless it may be written by a repair */
    void await(Awaited version) {
        byTicket.computeIfAbsent(version.seen().idHash(), k -> new ArrayList<>(1)).add(version);
    }

    /** Drops the awaited versions that {@code bucket} holds a later version of. */
    void settle(DayIndex bucket) {
        if (byTicket.isEmpty()) return;
        byTicket.values().removeIf(versions -> {
            versions.removeIf(v -> bucket.holds(v.seen()));
            return versions.isEmpty();
        });
    }

    boolean isEmpty() {
        return byTicket.isEmpty();
    }

    /** Hands on what is still awaited, oldest first, and forgets it. */
    void missing(Consumer<Awaited> each) {
        byTicket.values().stream().flatMap(List::stream)
                .sorted(java.util.Comparator.comparing((Awaited a) -> a.seen().time()).thenComparing(a -> a.seen().identity()))
                .forEach(each);
        byTicket.clear();
    }
}
