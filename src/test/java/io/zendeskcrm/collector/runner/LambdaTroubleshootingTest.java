package io.zendeskcrm.collector.runner;

import io.zendeskcrm.collector.config.Settings;
import io.zendeskcrm.collector.config.SettingsException;
import io.zendeskcrm.collector.support.ReadmeTroubleshooting;
import io.zendeskcrm.collector.support.ReadmeTroubleshooting.Row;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's Troubleshooting row for a Lambda timeout below the margin says what the collector says. */
class LambdaTroubleshootingTest {

    @Test
    void theLambdaRowsMessageIsWhatTheCollectorSays() throws Exception {
        List<String> messages = ReadmeTroubleshooting.rows().stream().flatMap(r -> r.messages().stream())
                .filter(m -> m.startsWith("LAMBDA_TIME_MARGIN_SECONDS")).toList();
        assertEquals(1, messages.size(), messages.toString());
        Map<String, String> env = Map.of("S3_BUCKET", "zendesk-logs", "ZENDESK_BASE_URL", "https://acme.zendesk.com",
                "ZENDESK_EMAIL", "a@acme.com", "ZENDESK_API_TOKEN", "t", "HTTP_TIMEOUT", "30");
        Settings settings = Settings.load(name -> Optional.ofNullable(env.get(name)));

        SettingsException e = assertThrows(SettingsException.class,
                () -> Collector.checkTimes(settings, Instant.EPOCH, Optional.of(Duration.ofSeconds(60))));

        assertTrue(Row.printed(messages.get(0), e.getMessage()), messages.get(0) + "\n" + e.getMessage());
    }
}
