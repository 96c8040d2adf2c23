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

    static Process start(Map<String, String> env, Path logDir, String... args) throws IOException {
        // As the README says to start it: from target/, with the class-data archive the build made there,
        // the serial collector and a 128 MB heap.
        // (-Dbench.plain-jvm=true: plain `java -Xmx256m -jar`, for a benchmark's "before".)
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(Boolean.getBoolean("bench.plain-jvm") ? List.of("-Xmx256m")
                : List.of("-XX:SharedArchiveFile=app-cds.jsa", "-XX:+UseSerialGC", "-Xms16m", "-Xmx128m"));
        command.addAll(List.of("-jar", jar().getFileName().toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(jar().getParent().toFile());
        pb.environment().clear();
        pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
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
