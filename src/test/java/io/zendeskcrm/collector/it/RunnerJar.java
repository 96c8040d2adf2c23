package io.zendeskcrm.collector.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** The packaged collector ({@code target/*-runner.jar}) started as its own process, as a user starts it. */
final class RunnerJar {
    /** @param peakRssMb the process's peak resident memory (VmHWM), in MB */
    record Result(int exitCode, String stdout, String stderr, long peakRssMb) {}

    private RunnerJar() {}

    static Path jar() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            List<Path> jars = files.filter(p -> p.getFileName().toString().endsWith("-runner.jar")).toList();
            if (jars.size() != 1) throw new IllegalStateException("expected one *-runner.jar in target/, found " + jars);
            return jars.get(0);
        }
    }

    /** The launcher {@code ./mvnw package} makes beside the jar: how the README starts the collector. */
    static Path launcher() throws IOException {
        return jar().toAbsolutePath().getParent().resolve("zendesk-crm-collector");
    }

    static Process start(Map<String, String> env, Path logDir, String... args) throws IOException {
        // As the README says to start it: the launcher (class-data archive, serial collector, 128 MB heap), with
        // the JVM that built the archive. (-Dbench.plain-jvm=true: plain `java -Xmx256m -jar`, for a benchmark's
        // "before".)
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // SIGINT as from a terminal: a build started in the background passes it on ignored, and the JVM then never
        // sees a Ctrl-C (env resets it).
        List<String> command = new ArrayList<>(List.of("/usr/bin/env", "--default-signal=INT"));
        command.addAll(Boolean.getBoolean("bench.plain-jvm")
                ? List.of(java, "-Xmx256m", "-jar", jar().toAbsolutePath().toString())
                : List.of(launcher().toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(jar().getParent().toFile());
        pb.environment().clear();
        pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        // The launcher's own flags; JAVA_OPTS only when -Dit.collector.opts asks for more (a diagnosis).
        String opts = System.getProperty("it.collector.opts", "");
        if (!opts.isBlank()) pb.environment().put("JAVA_OPTS", opts);
        pb.environment().putAll(env);
        Files.createDirectories(logDir);
        pb.redirectOutput(logDir.resolve("stdout").toFile());
        pb.redirectError(logDir.resolve("stderr").toFile());
        return pb.start();
    }

    static Result run(Map<String, String> env, Path logDir, String... args) throws Exception {
        Process p = start(env, logDir, args);
        long peakKb = 0;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (p.isAlive() && System.nanoTime() < deadline) {
            peakKb = Math.max(peakKb, peakRssKb(p.pid())); // VmHWM only grows: the last reading is the peak
            p.waitFor(20, TimeUnit.MILLISECONDS);
        }
        if (p.isAlive()) {
            p.destroyForcibly();
            throw new IllegalStateException("the collector did not finish within 5 minutes");
        }
        return new Result(p.exitValue(), Files.readString(logDir.resolve("stdout"), StandardCharsets.UTF_8),
                Files.readString(logDir.resolve("stderr"), StandardCharsets.UTF_8), peakKb / 1024);
    }

    private static long peakRssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("\\D", ""));
            }
        } catch (IOException | RuntimeException e) {
            // The process has just ended.
        }
        return 0;
    }
}
