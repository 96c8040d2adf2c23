package io.zendeskcrm.collector.deliver;

import com.google.auth.http.HttpTransportFactory;
import com.google.auth.oauth2.GoogleCredentials;
import io.zendeskcrm.collector.config.SecOps;
import io.zendeskcrm.collector.config.SettingsException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;

/**
 * Google access tokens for {@code logs:import}, without a key: Google's auth library reads the
 * external-account configuration, signs an AWS {@code GetCallerIdentity} request with the function's own
 * role credentials ({@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}, {@code AWS_SESSION_TOKEN},
 * {@code AWS_REGION}, or the instance metadata the configuration names), exchanges it at the
 * configuration's {@code token_url} and, when the configuration says so, impersonates a service account.
 * The library keeps the token and renews it before it expires.
 */
public final class AccessTokens {
    static final String SCOPE = "https://www.googleapis.com/auth/cloud-platform";
    private final GoogleCredentials credentials;
    private final String source;

    private AccessTokens(GoogleCredentials credentials, String source) {
        this.credentials = credentials;
        this.source = source;
    }

    public static AccessTokens of(SecOps secOps, HttpTransportFactory transport) {
        try {
            GoogleCredentials read = GoogleCredentials.fromStream(new ByteArrayInputStream(secOps.credentialConfig()), transport);
            return new AccessTokens(read.createScoped(List.of(SCOPE)), secOps.configSource());
        } catch (IOException | RuntimeException e) {
            throw new SettingsException(secOps.configSource() + " is not a credential configuration Google's auth library"
                    + " accepts (" + DeliveryException.firstLine(e) + ")");
        }
    }

    /** A valid access token, obtained or renewed as needed; a failure names {@code stream}. */
    String token(String stream) {
        try {
            return token();
        } catch (DeliveryException e) {
            throw new DeliveryException(stream + ": " + e.getMessage());
        }
    }

    /** The same for {@code check}, which obtains one to verify the configuration and the identity's binding. */
    public String token() {
        try {
            credentials.refreshIfExpired();
            return credentials.getAccessToken().getTokenValue();
        } catch (IOException | RuntimeException e) {
            throw new DeliveryException("no Google access token for logs:import: the token exchange of the configuration in "
                    + source + " failed (" + DeliveryException.firstLine(e) + "); check the workload identity pool's AWS"
                    + " provider and the binding of the function's role");
        }
    }

    /** After a 401: the stored token is dropped and the next {@link #token} obtains another. */
    void forget() {
        try {
            credentials.refresh();
        } catch (IOException | RuntimeException e) {
            // The next token() says why, in its own words.
        }
    }
}
