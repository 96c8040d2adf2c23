package io.zendeskcrm.collector.reconcile;

import io.zendeskcrm.collector.stream.Deadline;
import io.zendeskcrm.collector.stream.OutOfTimeException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Compares one stream's records for a period, day by day: what the bucket holds for the day, then what
 * Zendesk holds for it now. Only the identities of one day are held (plus the few records that objects
 * dated earlier hold for later days).
 *
 * <p>An object's key is dated by the position its page was read from, which is never after the records
 * it holds: so the objects dated up to a day hold all that day's records, and a day is complete once the
 * objects of the days up to it have been read. For the first day, the objects dated before it are read
 * newest day first until a day that holds nothing younger than a day before the period (a window's
 * overlap is at most a day).
 */
final class StreamReconciliation {
    private static final Logger LOG = Logger.getLogger(StreamReconciliation.class);

    private final String stream;
    private final StreamIdentity identity;
    private final StoredObjects stored;
    private final ZendeskRecords zendesk;
    private final RepairObjects repair;
    private final Clock clock;
    private final Deadline deadline;
    private final LaterVersions laterVersions = new LaterVersions();

    /** @param repair where missing records go, or null to report only */
    StreamReconciliation(String stream, StreamIdentity identity, StoredObjects stored, ZendeskRecords zendesk,
                         RepairObjects repair, Clock clock, Deadline deadline) {
        this.stream = stream;
        this.identity = identity;
        this.stored = stored;
        this.zendesk = zendesk;
        this.repair = repair;
        this.clock = clock;
        this.deadline = deadline;
    }

    /** Counts for the period so far. */
    private static final class Tally {
        long inZendesk;
        long inBucket;
        long missing;
        long duplicated;
        long repaired;
        final List<String> missingIds = new ArrayList<>();
        final List<String> duplicatedIds = new ArrayList<>();
        final Set<String> duplicatedKeys = new LinkedHashSet<>();
    }

    StreamReport run(Instant since, Instant until) {
        Instant from = ceilSecond(since);
        Instant to = until.truncatedTo(ChronoUnit.SECONDS);
        Tally tally = new Tally();
        Instant checked = null;
        try {
            if (to.isBefore(from)) return report(from, to, tally, true, null);
            List<String> keys = new ArrayList<>();
            Map<LocalDate, DayIndex> days = new HashMap<>();
            LocalDate first = day(from);
            LocalDate last = day(to);
            List<LocalDate> keyDays = stored.days();
            for (int i = keyDays.size() - 1; i >= 0; i--) {
                LocalDate d = keyDays.get(i);
                if (!d.isBefore(first)) continue;
                Instant newest = readObjectsOf(d, from, to, keys, days);
                if (newest != null && newest.isBefore(from.minus(Duration.ofDays(1)))) break;
            }
            Set<LocalDate> withObjects = new HashSet<>(keyDays);
            for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
                if (deadline.passed(clock.instant())) throw new OutOfTimeException(stream + ": out of time");
                if (withObjects.contains(d)) readObjectsOf(d, from, to, keys, days);
                DayIndex bucket = days.getOrDefault(d, new DayIndex());
                Instant dayFrom = later(from, d.atStartOfDay().toInstant(ZoneOffset.UTC));
                Instant dayTo = earlier(to, d.plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC).minusSeconds(1));
                compareDay(bucket, dayFrom, dayTo, tally);
                days.remove(d);
                checked = dayTo;
            }
            if (!laterVersions.isEmpty()) readLaterObjects(last, to, keyDays);
            laterVersions.missing(v -> missing(v.line(), v.seen(), tally));
            if (repair != null) {
                repair.flush();
                tally.repaired = repair.written();
            }
            return report(from, to, tally, true, null);
        } catch (OutOfTimeException e) {
            laterVersions.missing(v -> missing(null, v.seen(), tally)); // not confirmed either way: counted, not written
            LOG.warnf("%s: ran out of time; checked %s", stream, checked == null ? "nothing" : "up to " + checked);
            return report(from, checked == null ? from : checked, tally, false,
                    stream + ": ran out of time after checking " + (checked == null ? "nothing" : "up to " + checked)
                            + "; run again with --since " + (checked == null ? from : checked.plusSeconds(1)));
        } catch (RuntimeException e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (!message.startsWith(stream)) message = stream + ": " + message;
            LOG.errorf("%s", message);
            return report(from, checked == null ? to : checked, tally, checked == null ? null : false, message);
        } finally {
            if (repair != null) repair.discard(); // what a day it did not finish found: the next run finds it again
        }
    }

    /**
     * The ticket versions still awaiting a later version read from the objects dated from the period's last day
     * on: their records after {@code to}, one day at a time until none awaits.
     */
    private void readLaterObjects(LocalDate last, Instant to, List<LocalDate> keyDays) {
        for (LocalDate d : keyDays) {
            if (d.isBefore(last)) continue;
            DayIndex later = new DayIndex();
            List<String> keys = new ArrayList<>();
            for (String key : stored.keys(d)) {
                keys.add(key);
                int keyIndex = keys.size() - 1;
                stored.lines(key, line -> {
                    StreamIdentity.Seen seen = identity.of(line);
                    if (seen != null && seen.time().isAfter(to)) later.add(seen, keyIndex, keys);
                });
            }
            laterVersions.settle(later);
            if (laterVersions.isEmpty()) return;
        }
    }

    /** Reads the objects dated {@code day}, indexing their records of {@code [from, to]}; the newest record time met. */
    private Instant readObjectsOf(LocalDate day, Instant from, Instant to, List<String> keys, Map<LocalDate, DayIndex> days) {
        Instant[] newest = {null};
        for (String key : stored.keys(day)) {
            int keyIndex = keys.size();
            keys.add(key);
            stored.lines(key, line -> {
                StreamIdentity.Seen seen = identity.of(line);
                if (seen == null) return;
                if (newest[0] == null || seen.time().isAfter(newest[0])) newest[0] = seen.time();
                if (seen.time().isBefore(from) || seen.time().isAfter(to)) return;
                days.computeIfAbsent(day(seen.time()), d -> new DayIndex()).add(seen, keyIndex, keys);
            });
        }
        return newest[0];
    }

    private void missing(String line, StreamIdentity.Seen seen, Tally tally) {
        tally.missing++;
        if (tally.missingIds.size() < DayIndex.LISTED) tally.missingIds.add(seen.identity());
        if (repair != null && line != null) repair.add(line, seen);
    }

    private void compareDay(DayIndex bucket, Instant from, Instant to, Tally tally) {
        laterVersions.settle(bucket);
        Tally day = new Tally(); // merged only once the day is read to its end
        List<LaterVersions.Awaited> awaited = new ArrayList<>();
        LongIntMap inZendesk = new LongIntMap(); // Zendesk may list a record twice: it is one record
        zendesk.read(from, to, line -> {
            StreamIdentity.Seen seen = identity.of(line);
            if (seen == null || inZendesk.put(seen.hash(), 0) != LongIntMap.ABSENT) return;
            day.inZendesk++;
            if (bucket.holds(seen)) return;
            if (identity.versioned()) {
                awaited.add(new LaterVersions.Awaited(repair != null ? line : null, seen));
            } else {
                missing(line, seen, day);
            }
        });
        awaited.forEach(laterVersions::await);
        tally.inZendesk += day.inZendesk;
        tally.missing += day.missing;
        for (String id : day.missingIds) {
            if (tally.missingIds.size() < DayIndex.LISTED) tally.missingIds.add(id);
        }
        if (repair != null) {
            repair.flush();
            tally.repaired = repair.written();
        }
        tally.inBucket += bucket.size();
        tally.duplicated += bucket.duplicated();
        for (String id : bucket.duplicatedIds()) {
            if (tally.duplicatedIds.size() < DayIndex.LISTED) tally.duplicatedIds.add(id);
        }
        for (String key : bucket.duplicatedKeys()) {
            if (tally.duplicatedKeys.size() < DayIndex.LISTED * 5) tally.duplicatedKeys.add(key);
        }
    }

    private StreamReport report(Instant from, Instant to, Tally t, Boolean complete, String error) {
        return new StreamReport(stream, from.toString(), to.toString(), t.inZendesk, t.inBucket, t.missing, t.duplicated,
                t.repaired, List.copyOf(t.missingIds), List.copyOf(t.duplicatedIds),
                List.copyOf(t.duplicatedKeys), Boolean.TRUE.equals(complete) ? null : complete, error);
    }

    private static LocalDate day(Instant t) {
        return LocalDate.ofInstant(t, ZoneOffset.UTC);
    }

    private static Instant ceilSecond(Instant t) {
        Instant floor = t.truncatedTo(ChronoUnit.SECONDS);
        return floor.equals(t) ? t : floor.plusSeconds(1);
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant earlier(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
