package io.zendeskcrm.collector.runner;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * What {@code check} found: one line per item, in the order checked. {@code ok} when no line failed
 * (a line that could not be verified does not fail the check; it says why).
 */
@RegisterForReflection
public record CheckReport(boolean ok, List<String> lines) {

    /** One item: passed, failed (the detail says how to fix it), or not verifiable here (the detail says why). */
    record Line(Mark mark, String item, String detail) {
        @Override
        public String toString() {
            return mark.symbol + " " + item + ": " + detail;
        }
    }

    enum Mark {
        PASS("✔"), FAIL("✘"), NOT_VERIFIED("–");

        final String symbol;

        Mark(String symbol) {
            this.symbol = symbol;
        }
    }

    static CheckReport of(List<Line> lines) {
        return new CheckReport(lines.stream().noneMatch(l -> l.mark() == Mark.FAIL), lines.stream().map(Line::toString).toList());
    }

    /** The exit status of {@code check}: 0 when every item passed, 1 otherwise. */
    int exitStatus() {
        return ok ? 0 : Main.EXIT_FAILED;
    }
}
