package io.zendeskcrm.collector.reconcile;

import io.zendeskcrm.collector.config.SettingsException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ReconcileRequestTest {
    private static final Instant NOW = Instant.parse("2026-11-20T12:00:00.437Z");

    private static ReconcileRequest parse(String... args) {
        return ReconcileRequest.parse(List.of(args), NOW);
    }

    @Test
    void timesAreIso8601EpochSecondsOrASpanBackFromNow() {
        assertEquals(new ReconcileRequest(Instant.parse("2026-11-19T00:00:00Z"), Optional.empty(), false), parse("--since", "2026-11-19"));
        assertEquals(Instant.parse("2026-11-19T10:00:00Z"), parse("--since", "2026-11-19T11:00:00+01:00").since());
        assertEquals(Instant.ofEpochSecond(1795000000), parse("--since", "1795000000").since());
        assertEquals(NOW.minusSeconds(36 * 3600), parse("--since", "36h").since());
        assertEquals(NOW.minusSeconds(7 * 86400), parse("--since", "7d").since());
        ReconcileRequest both = parse("--repair", "--since", "7d", "--until", "1d");
        assertEquals(Optional.of(NOW.minusSeconds(86400)), both.until());
        assertEquals(true, both.repair());
    }

    @Test
    void mistakesAreOneLineNamingTheOption() {
        assertEquals("reconcile needs --since; " + ReconcileRequest.USAGE,
                assertThrows(SettingsException.class, () -> parse("--repair")).getMessage());
        assertEquals("--since (yesterday) is not a time: give ISO 8601 (2026-11-20T00:00:00Z), epoch seconds, or a span back"
                + " from now (36h, 7d)", assertThrows(SettingsException.class, () -> parse("--since", "yesterday")).getMessage());
        assertEquals("--since (1795000000000) looks like epoch milliseconds; give epoch seconds (1795000000)",
                assertThrows(SettingsException.class, () -> parse("--since", "1795000000000")).getMessage());
        assertEquals("--until (2026-11-18T00:00:00Z) must be after --since (2026-11-19T00:00:00Z)",
                assertThrows(SettingsException.class, () -> parse("--since", "2026-11-19", "--until", "2026-11-18")).getMessage());
        assertEquals("reconcile does not take '--fix'; " + ReconcileRequest.USAGE,
                assertThrows(SettingsException.class, () -> parse("--since", "1d", "--fix")).getMessage());
        assertEquals("--since needs a time; " + ReconcileRequest.USAGE,
                assertThrows(SettingsException.class, () -> parse("--since")).getMessage());
    }
}
