package io.zendeskcrm.collector.it;

import io.zendeskcrm.collector.support.CollectorTestResources;
import io.zendeskcrm.collector.support.FakeZendesk;
import io.zendeskcrm.collector.support.S3Server;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs of the packaged jar, one after another, whose output (stdout and stderr, every line) must hold none of the
 * secret values the runs were given or were issued. Shared by the tests that split the auth modes between them, so
 * that they run side by side.
 */
final class LeakCheck {
    /** Rejected values the runs are given: secret too, although Zendesk refused them. */
    static final String REJECTED_BEARER = "bearer-7f3e9c1a5d";
    static final String REFUSED_CLIENT_SECRET = "cs-wrong-6a2b8c0d";
    static final String REJECTED_API_TOKEN = "tok-wrong-1e2d3c4b";
    static final String URL_PASSWORD = "url-pw-4c9e1f";

    /**
     * One run of {@code once}. The environment is computed when the run starts (tokens rotate); {@code before}
     * prepares the account and {@code after} checks the run.
     */
    record Case(String name, Supplier<Map<String, String>> env, int expectedExit, Runnable before,
                Consumer<RunnerJar.Result> after) {
        Case(String name, Map<String, String> env, int expectedExit) {
            this(name, () -> env, expectedExit, () -> { }, result -> { });
        }
    }

    private final Account account;
    private final Map<String, String> secrets = new LinkedHashMap<>();
    private final Map<String, String> outputs = new LinkedHashMap<>();

    LeakCheck(Account account) {
        this.account = account;
        secrets.put(CollectorTestResources.API_TOKEN, "the API token");
        secrets.put(CollectorTestResources.AUTHORIZATION.substring("Basic ".length()), "the Basic credentials");
        secrets.put(FakeZendesk.CLIENT_SECRET, "the OAuth client secret");
        secrets.put(account.zendesk.currentRefreshToken(), "the seed refresh token");
        secrets.put(S3Server.SECRET_KEY, "the AWS secret access key");
        secrets.put(REJECTED_BEARER, "a rejected bearer token");
        secrets.put(REFUSED_CLIENT_SECRET, "a refused client secret");
        secrets.put(REJECTED_API_TOKEN, "a rejected API token");
        secrets.put(URL_PASSWORD, "a password in a URL");
        secrets.put(Base64.getEncoder().encodeToString((CollectorTestResources.EMAIL + "/token:" + REJECTED_API_TOKEN)
                .getBytes(StandardCharsets.UTF_8)), "rejected Basic credentials");
    }

    /** Runs the cases in order, each checked for its exit status (and its own checks); keeps each one's output. */
    void run(List<Case> cases, Path logs) throws Exception {
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            c.before().run();
            Map<String, String> env = c.env().get();
            long started = System.nanoTime();
            RunnerJar.Result result = RunnerJar.run(env, logs.resolve("case" + i), "once");
            System.out.printf("%s: exit %d in %d ms%n", c.name(), result.exitCode(), (System.nanoTime() - started) / 1_000_000);
            assertEquals(c.expectedExit(), result.exitCode(), c.name() + ":\n" + tail(result.stderr()));
            if (env.containsKey("QUARKUS_LOG_LEVEL")) {
                assertTrue(result.stderr().contains("DEBUG"), c.name() + ": the root log level is DEBUG");
            }
            c.after().accept(result);
            outputs.put(c.name(), result.stdout() + result.stderr());
        }
    }

    /** No secret value, nor any token the fake Zendesk issued, in any line any run printed. */
    void assertNothingLeaked() {
        account.zendesk.everyTokenIssued().forEach(t -> secrets.putIfAbsent(t, t.startsWith("rt-")
                ? "a rotated refresh token" : "an access token the fake issued"));
        List<String> leaks = new ArrayList<>();
        outputs.forEach((name, output) -> secrets.forEach((value, label) -> {
            output.lines().filter(line -> line.contains(value)).limit(3)
                    .forEach(line -> leaks.add(name + ": " + label + " in: " + line.replace(value, "<" + label + ">")));
        }));
        assertEquals(List.of(), leaks, "secret values in the output of the runs (shown redacted)");
    }

    /** Every logger at DEBUG, unless application.properties pins it. */
    static Map<String, String> debug(Map<String, String> env) {
        return with(env, "QUARKUS_LOG_LEVEL", "DEBUG");
    }

    static Map<String, String> with(Map<String, String> env, String... namesAndValues) {
        Map<String, String> copy = new HashMap<>(env);
        for (int i = 0; i < namesAndValues.length; i += 2) copy.put(namesAndValues[i], namesAndValues[i + 1]);
        return copy;
    }

    private static String tail(String output) {
        List<String> lines = output.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }
}
