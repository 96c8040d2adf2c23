package io.zendeskcrm.collector.deploy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** deploy/jvm/template.yaml is exactly what {@link JvmTemplate} derives from template.yaml. */
class JvmTemplateTest {
    /** {@code -Djvm-template.write=true} rewrites the JVM template instead of only comparing. */
    static final String WRITE = "jvm-template.write";
    static final String REGENERATE = "./mvnw -B -ntp -q test -Dtest=JvmTemplateTest -D" + WRITE + "=true";

    @Test
    void theCommittedJvmTemplateIsDerivedFromTheNativeOne() throws Exception {
        String derived = JvmTemplate.derive(Files.readString(Path.of(JvmTemplate.NATIVE), StandardCharsets.UTF_8));
        Path jvm = Path.of(JvmTemplate.JVM);
        if (Boolean.getBoolean(WRITE)) Files.writeString(jvm, derived, StandardCharsets.UTF_8);
        String committed = Files.readString(jvm, StandardCharsets.UTF_8);
        if (!committed.equals(derived)) {
            fail(JvmTemplate.JVM + " is not what " + JvmTemplate.NATIVE + " derives to (first difference at line "
                    + firstDifferentLine(committed, derived) + "). Edit " + JvmTemplate.NATIVE
                    + " (or an edit in JvmTemplate), then regenerate the JVM template with\n  " + REGENERATE
                    + "\nand review the diff.");
        }
    }

    @Test
    void aChangeToTheNativeTemplateShowsUpInTheJvmOne() throws Exception {
        String nativeTemplate = Files.readString(Path.of(JvmTemplate.NATIVE), StandardCharsets.UTF_8);
        String changed = nativeTemplate.replace("Default: rate(5 minutes)", "Default: rate(2 hours)");

        String derived = JvmTemplate.derive(changed);

        assertTrue(derived.contains("Default: rate(2 hours)"), "a shared line is carried over");
        assertEquals(1, count(derived, "Runtime: java21"));
        assertEquals(0, count(derived, "provided.al2023"));
        assertEquals(0, count(derived, "DISABLE_SIGNAL_HANDLERS"));
        assertEquals(4, count(derived, "!Ref CollectorFunction.Alias"), "the two schedules, their role and an output name the alias");
    }

    @Test
    void anEditWhoseTextIsGoneFromTheNativeTemplateFails() throws Exception {
        String nativeTemplate = Files.readString(Path.of(JvmTemplate.NATIVE), StandardCharsets.UTF_8);
        String withoutHandler = nativeTemplate.replace("      Handler: not.used.in.provided.runtime\n", "");

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> JvmTemplate.derive(withoutHandler));

        assertTrue(e.getMessage().contains("Runtime: provided.al2023"), e.getMessage());
    }

    @Test
    void anEditWhoseTextOccursTwiceFails() throws Exception {
        String nativeTemplate = Files.readString(Path.of(JvmTemplate.NATIVE), StandardCharsets.UTF_8);
        String twice = nativeTemplate + "          DISABLE_SIGNAL_HANDLERS: 'true'\n";

        assertThrows(IllegalStateException.class, () -> JvmTemplate.derive(twice));
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) n++;
        return n;
    }

    private static int firstDifferentLine(String a, String b) {
        String[] x = a.split("\n", -1);
        String[] y = b.split("\n", -1);
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            if (!x[i].equals(y[i])) return i + 1;
        }
        return Math.min(x.length, y.length) + 1;
    }
}
