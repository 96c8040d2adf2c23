package io.zendeskcrm.collector.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The messages of the README's Troubleshooting table (the backticked texts of each row's first cell), as
 * patterns in which {@code …} stands for anything, so that tests can check the collector prints them.
 */
public final class ReadmeTroubleshooting {
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");

    /** One row: the messages of its first cell. */
    public record Row(List<String> messages) {
        /** True when some line of {@code output} contains {@code message}, {@code …} matching anything. */
        public static boolean printed(String message, String output) {
            StringBuilder regex = new StringBuilder();
            for (String part : message.split("…", -1)) {
                if (!regex.isEmpty()) regex.append(".*");
                regex.append(Pattern.quote(part));
            }
            Pattern p = Pattern.compile(regex.toString());
            return output.lines().anyMatch(line -> p.matcher(line).find());
        }
    }

    private ReadmeTroubleshooting() {}

    public static List<Row> rows() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("README.md"));
        int start = lines.indexOf("## Troubleshooting");
        if (start < 0) throw new IllegalStateException("README.md has no Troubleshooting section");
        List<Row> rows = new ArrayList<>();
        boolean inTable = false;
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("## ")) break;
            if (line.startsWith("|---")) {
                inTable = true;
                continue;
            }
            if (!inTable || !line.startsWith("| ")) continue;
            String first = line.substring(2, line.indexOf(" | ", 2));
            List<String> messages = new ArrayList<>();
            Matcher m = CODE.matcher(first);
            while (m.find()) messages.add(m.group(1));
            rows.add(new Row(List.copyOf(messages)));
        }
        return rows;
    }
}
