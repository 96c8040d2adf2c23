package io.zendeskcrm.collector.support;

import io.zendeskcrm.collector.config.Settings;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;

/** The application's settings with some variables replaced, as a user would set them in the environment. */
public final class TestSettings {
    private TestSettings() {}

    /** @param pairs variable, value, variable, value, ... (a null value unsets the variable) */
    public static Settings with(String... pairs) {
        Map<String, String> overrides = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) overrides.put(pairs[i], pairs[i + 1]);
        return Settings.load(name -> overrides.containsKey(name)
                ? Optional.ofNullable(overrides.get(name))
                : ConfigProvider.getConfig().getOptionalValue(name, String.class));
    }
}
