package io.zendeskcrm.collector.config;

/** A credential. Its value is reachable only through {@link #reveal()}; it never prints itself. */
public final class Secret {
    private final String value;

    public Secret(String value) {
        this.value = value;
    }

    public String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return "****";
    }
}
