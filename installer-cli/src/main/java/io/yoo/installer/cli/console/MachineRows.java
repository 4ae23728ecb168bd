package io.yoo.installer.cli.console;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;

/** One line per machine for a terminal: name, address, state, phase, time taken, the last message. */
public final class MachineRows {
    private static final int MESSAGE_WIDTH = 100;

    private MachineRows() {}

    public static void print(PrintWriter out, List<JsonNode> machines, Instant now) {
        int name = Math.max(4, machines.stream().mapToInt(m -> m.path("name").asText().length()).max().orElse(4));
        for (JsonNode m : machines) {
            out.println(row(m, now, name));
        }
    }

    public static String row(JsonNode m, Instant now, int nameWidth) {
        String phase = m.path("phase").isTextual() ? m.path("phase").asText() + " " + m.path("phaseStatus").asText("") : "-";
        String took = Progress.elapsed(m, now).map(Progress::format).orElse("-");
        String line = "  %-" + nameWidth + "s  %-15s  %-10s  %-28s %7s";
        String row = line.formatted(m.path("name").asText(), m.path("ip").asText("-"), m.path("state").asText(), phase.strip(), took);
        return m.path("message").isTextual() ? row + "  " + oneLine(m.path("message").asText()) : row;
    }

    /** The first line, shortened: a message is the machine's own text (a script's stderr), not ours to print whole. */
    static String oneLine(String message) {
        String first = message.lines().filter(l -> !l.isBlank()).findFirst().orElse("").strip();
        String clean = first.codePoints().filter(c -> c >= 0x20 && c != 0x7f)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return clean.length() > MESSAGE_WIDTH ? clean.substring(0, MESSAGE_WIDTH - 1) + "…" : clean;
    }
}
