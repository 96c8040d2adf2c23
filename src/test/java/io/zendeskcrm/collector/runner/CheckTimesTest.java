package io.zendeskcrm.collector.runner;

import io.zendeskcrm.collector.config.Settings;
import io.zendeskcrm.collector.config.SettingsException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

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

    @Test
    void aStartTimeInTheFutureIsAConfigurationError() {
        SettingsException e = assertThrows(SettingsException.class,
                () -> Collector.checkTimes(settings("START_TIME", "2026-12-03"), NOW, Optional.empty()));
        assertEquals("START_TIME (2026-12-03T00:00:00Z) is in the future; give the moment to collect from, which must have passed",
                e.getMessage());
    }
}
