package io.zendeskcrm.collector.runner;

import io.zendeskcrm.collector.config.Settings;
import io.zendeskcrm.collector.config.SettingsException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Settings that are only wrong against the clock. */
class CheckTimesTest {
    private static final Instant NOW = Instant.parse("2026-12-02T10:15:30.123456Z");

    private static Settings settings(String... pairs) {
        Map<String, String> env = new HashMap<>(Map.of("OUTPUT_DIR", "/tmp/out", "ZENDESK_BASE_URL", "https://acme.zendesk.com",
                "ZENDESK_EMAIL", "a@acme.com", "ZENDESK_API_TOKEN", "t"));
        for (int i = 0; i < pairs.length; i += 2) env.put(pairs[i], pairs[i + 1]);
        return Settings.load(name -> Optional.ofNullable(env.get(name)));
    }

    /** Regression: LOOKBACK_SECONDS=2000000000 was sent to Zendesk as a negative start_time. */
    @Test
    void aLookbackReachingBeforeZendeskExistedIsAConfigurationError() {
        SettingsException e = assertThrows(SettingsException.class,
                () -> Collector.checkTimes(settings("LOOKBACK_SECONDS", "2000000000"), NOW, Optional.empty()));
        assertEquals("LOOKBACK_SECONDS (2000000000) reaches back before 2007-01-01T00:00:00Z, older than any Zendesk record;"
                + " give a shorter lookback, or START_TIME", e.getMessage());
        assertDoesNotThrow(() -> Collector.checkTimes(settings("LOOKBACK_SECONDS", "2000000000", "START_TIME", "2020-01-01"),
                NOW, Optional.empty()), "START_TIME, when given, is where a stream starts");
        assertDoesNotThrow(() -> Collector.checkTimes(settings("LOOKBACK_SECONDS", "31536000"), NOW, Optional.empty()));
    }

    @Test
    void aStartTimeInTheFutureIsAConfigurationError() {
        SettingsException e = assertThrows(SettingsException.class,
                () -> Collector.checkTimes(settings("START_TIME", "2026-12-03"), NOW, Optional.empty()));
        assertEquals("START_TIME (2026-12-03T00:00:00Z) is in the future; give the moment to collect from, which must have passed",
                e.getMessage());
    }
}
