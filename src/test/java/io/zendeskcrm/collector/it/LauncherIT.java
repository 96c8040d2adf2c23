package io.zendeskcrm.collector.it;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code target/zendesk-crm-collector}, the launcher the README's quick start uses, as a user runs it. */
class LauncherIT {
    private record Run(int exitCode, String stdout, String stderr) {}

    private static Run run(Path launcher, Path workDir, String javaOpts, String... args) throws Exception {
        return runOn(launcher, workDir, Path.of(System.getProperty("java.home")), javaOpts, args);
    }

    /** The launcher run with {@code javaHome} as JAVA_HOME. */
    private static Run runOn(Path launcher, Path workDir, Path javaHome, String javaOpts, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
        pb.environment().clear();
        pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        pb.environment().put("JAVA_HOME", javaHome.toString());
        if (javaOpts != null) pb.environment().put("JAVA_OPTS", javaOpts);
        Path out = Files.createTempFile(workDir, "stdout", "");
        Path err = Files.createTempFile(workDir, "stderr", "");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the launcher returns");
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    /**
     * -Xshare:on (-XX:AOTMode=on for the AOT cache of a build on JDK 25 or later) makes the JVM refuse to start unless
     * it maps the archive: proof that it is used from anywhere.
     */
    @Test
    void startsFromAnyDirectoryWithTheClassDataArchive(@TempDir Path elsewhere) throws Exception {
        boolean aotCache = Files.exists(RunnerJar.launcher().resolveSibling("app.aot"));
        Run help = run(RunnerJar.launcher(), elsewhere, aotCache ? "-XX:AOTMode=on" : "-Xshare:on", "--help");
        assertEquals(0, help.exitCode(), help.stderr());
        assertTrue(help.stdout().startsWith("usage: "), help.stdout());
        assertTrue(!help.stderr().contains("archive") && !help.stderr().contains("zendesk-crm-collector:"), help.stderr());
    }

    @Test
    void aCopyWithoutLibOrTheArchiveSaysWhatIsMissingInOneLine(@TempDir Path copy) throws Exception {
        Path launcher = Files.copy(RunnerJar.launcher(), copy.resolve("zendesk-crm-collector"), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        Files.copy(RunnerJar.jar(), copy.resolve(RunnerJar.jar().getFileName()));

        Run withoutLib = run(launcher, copy, null, "once");
        assertEquals(2, withoutLib.exitCode(), withoutLib.stderr());
        assertEquals("zendesk-crm-collector: " + copy.toRealPath() + "/lib is missing: the runner jar loads its libraries from"
                + " lib/ beside it; copy target/ whole (the jar, lib/, app-cds.jsa and this launcher) or run ./mvnw package\n",
                withoutLib.stderr());

        Files.createSymbolicLink(copy.resolve("lib"), RunnerJar.jar().toAbsolutePath().getParent().resolve("lib"));
        Run withoutArchive = run(launcher, copy, null, "--help");
        assertEquals(0, withoutArchive.exitCode(), withoutArchive.stderr());
        assertEquals("zendesk-crm-collector: no class-data archive (" + copy.toRealPath() + "/app-cds.jsa), so start-up is"
                + " slower; ./mvnw package makes it", withoutArchive.stderr().lines().findFirst().orElse(""));
        assertTrue(withoutArchive.stdout().startsWith("usage: "), withoutArchive.stdout());
    }

    @Test
    void withoutTheJarItSaysHowToBuildIt(@TempDir Path empty) throws Exception {
        Path launcher = Files.copy(RunnerJar.launcher(), empty.resolve("zendesk-crm-collector"), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        Run run = run(launcher, empty, null, "once");
        assertEquals(2, run.exitCode());
        assertEquals("zendesk-crm-collector: no runner jar beside this launcher in " + empty.toRealPath()
                + ": build it with ./mvnw package\n", run.stderr());
    }

    /**
     * Which archive the launcher gives which JVM, with a stand-in JDK whose java prints its arguments: the AOT cache
     * only to JDK 25 or later (an older JVM refuses its options and would not start), the class-data archive otherwise.
     */
    @Test
    void theAotCacheGoesToJdk25OrLaterTheClassDataArchiveToOlderJvmsAndAMissingJvmIsNamed(@TempDir Path copy) throws Exception {
        Path launcher = Files.copy(RunnerJar.launcher(), copy.resolve("zendesk-crm-collector"), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        Files.writeString(copy.resolve("zendesk-crm-collector-1.0.0-runner.jar"), "");
        Files.createDirectory(copy.resolve("lib"));
        Path jdk = Files.createDirectories(copy.resolve("jdk/bin"));
        Path java = Files.writeString(jdk.resolve("java"), "#!/bin/sh\necho \"$@\"\n");
        java.toFile().setExecutable(true);
        Path home = jdk.getParent();
        String dir = copy.toRealPath().toString();

        Files.writeString(copy.resolve("app.aot"), "");
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Eclipse Adoptium\"\nJAVA_VERSION=\"25.0.3\"\n");
        Run on25 = runOn(launcher, copy, home, null, "--help");
        assertTrue(on25.stdout().startsWith("-XX:AOTCache=" + dir + "/app.aot -Xlog:aot*=off "), on25.stdout());
        assertEquals("", on25.stderr());

        Files.writeString(home.resolve("release"), "JAVA_VERSION=\"17.0.15\"\n");
        Run on17 = runOn(launcher, copy, home, null, "--help");
        assertTrue(on17.stdout().startsWith("-Xlog:cds=off "), "no archive option at all: " + on17.stdout());
        assertEquals("zendesk-crm-collector: the AOT cache (" + dir + "/app.aot) serves JDK 25 or later and " + home
                + "/bin/java is older, so start-up is slower; run with the JDK that built it (JAVA_HOME)\n", on17.stderr());

        Files.writeString(copy.resolve("app-cds.jsa"), "");
        Run both = runOn(launcher, copy, home, null, "--help");
        assertTrue(both.stdout().startsWith("-XX:SharedArchiveFile=" + dir + "/app-cds.jsa "), both.stdout());

        Files.delete(home.resolve("release"));
        Run unknown = runOn(launcher, copy, home, null, "--help");
        assertTrue(unknown.stdout().startsWith("-XX:SharedArchiveFile=" + dir + "/app-cds.jsa "),
                "a JVM of unknown version is not given the AOT cache's options: " + unknown.stdout());

        Path nowhere = copy.resolve("no-jdk");
        Run noJava = runOn(launcher, copy, nowhere, null, "--help");
        assertEquals(2, noJava.exitCode());
        assertEquals("zendesk-crm-collector: JAVA_HOME (" + nowhere + ") has no bin/java: point it at a JDK 17 or later, or"
                + " unset it to use java from PATH\n", noJava.stderr());
    }
}
