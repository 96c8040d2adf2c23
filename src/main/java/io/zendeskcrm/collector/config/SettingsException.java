package io.zendeskcrm.collector.config;

/** A setting is missing or invalid. The message names the variable and, for non-secret settings, the bad value. */
public class SettingsException extends RuntimeException {
    public SettingsException(String message) {
        super(message);
    }
}
