package io.zendeskcrm.collector.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Peak heap and RSS for the largest page (1000 tickets with very large descriptions and custom fields),
 * and the smallest heap it fits in, when it is first written and when it is read again after a pass
 * died between writing and committing it. Prints figures; asserts nothing.
 * Run: {@code ./mvnw -Pbench verify -Dit.test=MemoryBenchmark}.
 */
class MemoryBenchmark {
    @Test
    void largestPage() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        for (int[] shape : new int[][] {{1_000, 10}, {20_000, 100}, {50_000, 200}}) {
            Path page = Files.createTempFile("page", ".json");
            Files.write(page, Tickets.page(1000, shape[0], shape[1], 1)); // the body as it will arrive
            for (String mode : new String[] {"first", "reread"}) {
                for (int xmx : new int[] {32, 48, 64, 96, 128, 192, 256, 384, 512}) {
                    Process p = new ProcessBuilder(java, "-Xmx" + xmx + "m", "-cp", cp, LargePageProbe.class.getName(),
                            page.toString(), mode).redirectErrorStream(true).start();
                    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                    int exit = p.waitFor();
                    if (exit == 0) {
                        System.out.printf("memory (%s), %d B descriptions and %d custom fields: fits in -Xmx%dm: %s%n", mode,
                                shape[0], shape[1], xmx, out);
                        break;
                    }
                    System.out.printf("memory (%s), %d B descriptions and %d custom fields: does not fit in -Xmx%dm%n", mode,
                            shape[0], shape[1], xmx);
                }
            }
            Files.delete(page);
        }
    }

}
