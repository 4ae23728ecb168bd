package io.yoo.installer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.yoo.installer.cli.console.MachineFilter;
import io.yoo.installer.cli.console.MachineRows;
import io.yoo.installer.cli.console.Progress;
import io.yoo.installer.cli.console.ServerApi;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code yoo watch}: follows an install day from the shell until every machine is done or
 * failed. On a terminal it redraws a progress bar, the counts and the newest failures in place;
 * into a pipe or a CI log it prints a line only when something changed, and each new failure
 * once.
 */
@Command(name = "watch", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Follow a running 'yoo serve' until every (matching) machine is done or failed: progress bar, counts,"
                + " newest failures. On a terminal it redraws in place; otherwise it prints a line per change."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every (matching) machine is done", "1:every machine settled and some failed", "2:usage error",
            "3:the server cannot be reached or refused the token", "5:--timeout passed with machines still in progress"})
final class WatchCommand implements Callable<Integer> {
    private static final int FAILURES_SHOWN = 5;
    private static final int BAR = 30;

    @Spec
    CommandSpec spec;

    @Mixin
    ServerConnection server = new ServerConnection();

    @Option(names = "--role", paramLabel = "ROLE", split = ",", description = "Only machines with this role; repeatable.")
    List<String> roles = new ArrayList<>();

    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "Only machines with this label; repeatable (all must match).")
    List<String> labels = new ArrayList<>();

    @Option(names = "--interval", defaultValue = "2", paramLabel = "SECONDS", description = "How often to ask the server (default ${DEFAULT-VALUE} s).")
    double intervalSeconds;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Give up after this long (exit 5). Default: watch until settled.")
    Double timeoutSeconds;

    @Option(names = "--no-redraw", description = "Print a line per change even on a terminal.")
    boolean noRedraw;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (intervalSeconds < 0.05 || intervalSeconds > 3600 || timeoutSeconds != null && (timeoutSeconds <= 0 || timeoutSeconds > 30 * 86400)) {
            err.println("yoo watch: --interval wants 0.05..3600 s and --timeout 0..30 days");
            return Yoo.EXIT_USAGE;
        }
        MachineFilter filter;
        try {
            filter = Watching.filter(List.of(), roles, labels);
        } catch (IllegalArgumentException e) {
            err.println("yoo watch: " + e.getMessage());
            return Yoo.EXIT_USAGE;
        }
        boolean redraw = !noRedraw && AdminTokenNotice.onTerminal();
        Instant deadline = timeoutSeconds == null ? Instant.MAX : Instant.now().plusMillis((long) (timeoutSeconds * 1000));
        try {
            ServerApi api = server.connect();
            Screen screen = new Screen(out, redraw);
            while (true) {
                Progress p = Progress.of(Watching.machines(api, filter));
                screen.show(p, Instant.now());
                if (p.settled()) {
                    return StatusCommand.exitFor(p);
                }
                if (!Instant.now().isBefore(deadline)) {
                    out.printf("still %d in progress, %d waiting after %s: giving up (--timeout)%n", p.active(), p.waiting(),
                            Progress.format(Duration.ofMillis((long) (timeoutSeconds * 1000))));
                    out.flush();
                    return StatusCommand.EXIT_IN_PROGRESS;
                }
                Thread.sleep(Math.min((long) (intervalSeconds * 1000), Math.max(1, Duration.between(Instant.now(), deadline).toMillis())));
            }
        } catch (ServerApi.Failure f) {
            err.println("yoo watch: " + f.getMessage());
            return f.exitCode();
        }
    }

    /** What the operator sees: redrawn in place on a terminal, appended line by line elsewhere. */
    static final class Screen {
        private final PrintWriter out;
        private final boolean redraw;
        private int drawnLines;
        private String lastCounts = "";
        private final Set<String> failuresShown = new HashSet<>();

        Screen(PrintWriter out, boolean redraw) {
            this.out = out;
            this.redraw = redraw;
        }

        void show(Progress p, Instant now) {
            String counts = counts(p);
            if (redraw) {
                if (drawnLines > 0) {
                    out.print("\033[" + drawnLines + "F\033[J"); // back to the first line drawn, clear below
                }
                List<String> lines = new ArrayList<>();
                lines.add(bar(p) + "  " + counts);
                List<JsonNode> failed = p.failedMachines();
                if (!failed.isEmpty()) {
                    lines.add("newest failures:");
                    failed.stream().limit(FAILURES_SHOWN).forEach(m -> lines.add(row(m, now)));
                    if (failed.size() > FAILURES_SHOWN) {
                        lines.add("  … and " + (failed.size() - FAILURES_SHOWN) + " more (yoo status --state failed)");
                    }
                }
                lines.forEach(out::println);
                drawnLines = lines.size();
            } else {
                if (!counts.equals(lastCounts)) {
                    out.println(LocalTime.ofInstant(now, ZoneId.systemDefault()).truncatedTo(ChronoUnit.SECONDS) + "  " + bar(p) + "  " + counts);
                }
                for (JsonNode m : p.failedMachines().reversed()) {
                    // a machine that failed again after a reprovision is a new failure: key on its attempt too
                    if (failuresShown.add(m.path("name").asText() + "#" + m.path("generation").asText())) {
                        out.println("FAILED" + row(m, now));
                    }
                }
            }
            lastCounts = counts;
            out.flush();
        }

        private static String row(JsonNode m, Instant now) {
            int width = m.path("name").asText().length();
            return MachineRows.row(m, now, width);
        }

        static String counts(Progress p) {
            return "%d/%d done, %d failed, %d in progress, %d waiting".formatted(p.done(), p.total(), p.failed(), p.active(), p.waiting());
        }

        static String bar(Progress p) {
            int full = p.total() == 0 ? 0 : (int) (BAR * p.done() / p.total());
            int bad = p.total() == 0 ? 0 : (int) Math.ceil((double) BAR * p.failed() / p.total());
            bad = Math.min(bad, BAR - full);
            return "[" + "#".repeat(full) + "x".repeat(bad) + ".".repeat(BAR - full - bad) + "] "
                    + (p.total() == 0 ? 0 : 100 * p.done() / p.total()) + "%";
        }
    }
}
