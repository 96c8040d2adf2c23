package io.zendeskcrm.collector.runner;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With the root logger at DEBUG (as QUARKUS_LOG_LEVEL=DEBUG sets it), the HTTP wire and header loggers stay at WARN. */
@QuarkusTest
@TestProfile(LogLevelPinsTest.RootAtDebug.class)
class LogLevelPinsTest {

    public static class RootAtDebug implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.log.level", "DEBUG");
        }
    }

    /** Loggers that print bodies, headers or signed requests at DEBUG, by the names the libraries log under. */
    static final List<String> PINNED = List.of(
            "org.apache.http.wire",
            "org.apache.http.headers",
            "software.amazon.awssdk.request",
            "software.amazon.awssdk.http.auth.aws.internal.signer.DefaultV4RequestSigner",
            "software.amazon.awssdk.http.apache.internal.conn.SdkTlsSocketFactory",
            "software.amazon.awssdk.auth.signer.internal.AbstractAws4Signer",
            "org.jboss.resteasy.reactive.client.logging.DefaultClientLogger",
            "io.quarkus.rest.client.reactive.runtime.RestClientBuilderImpl",
            "com.google.api.client.http.HttpTransport",
            "com.google.auth.oauth2.ExternalAccountCredentials");

    @Test
    void theWireAndHeaderLoggersStayAtWarnWhenTheRootIsAtDebug() {
        assertTrue(Logger.getLogger("io.zendeskcrm.collector.runner").isDebugEnabled(), "the root level is DEBUG here");
        assertTrue(Logger.getLogger("org.apache.http.impl.conn.PoolingHttpClientConnectionManager").isDebugEnabled(),
                "a sibling of the pinned Apache HTTP loggers follows the root");
        for (String category : PINNED) {
            Logger log = Logger.getLogger(category);
            assertFalse(log.isDebugEnabled(), category + " logs DEBUG");
            assertFalse(log.isInfoEnabled(), category + " logs INFO");
            assertTrue(log.isEnabled(Logger.Level.WARN), category + " drops WARN");
        }
    }
}
