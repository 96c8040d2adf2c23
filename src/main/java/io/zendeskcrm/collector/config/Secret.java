package io.zendeskcrm.collector.config;

import java.util.regex.Pattern;

/**
 * A credential. Its value is reachable only through {@link #reveal()}; it never prints itself. A
 * value that is a Secrets Manager secret ARN or an SSM parameter ARN is a reference, resolved at run
 * time by {@link io.zendeskcrm.collector.runner.AwsSecrets}.
 */
public final class Secret {
    private static final Pattern REFERENCE = Pattern.compile("arn:aws[a-z-]*:(secretsmanager|ssm):.+");

    private final String value;

    public Secret(String value) {
        this.value = value;
    }

    public String reveal() {
        return value;
    }

    /** True when the value names where the secret is kept instead of being the secret. */
    public boolean isReference() {
        return REFERENCE.matcher(value).matches();
    }

    /** True for an SSM parameter ARN, false for a Secrets Manager secret ARN. */
    public boolean isParameterReference() {
        return isReference() && value.split(":")[2].equals("ssm");
    }

    @Override
    public String toString() {
        return "****";
    }
}
