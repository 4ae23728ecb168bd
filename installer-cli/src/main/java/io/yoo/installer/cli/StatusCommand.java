package io.yoo.installer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yoo.installer.cli.console.MachineFilter;
import io.yoo.installer.cli.console.MachineRows;
import io.yoo.installer.cli.console.Progress;
import io.yoo.installer.cli.console.ServerApi;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code yoo status}: what a running `yoo serve` knows, from the shell (its REST API): counts,
 * then the machines that need a look — failed ones first, newest failure on top, with the phase
 * and the message that says why — and the ones in progress.
 */
@Command(name = "status", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Show the machines of a running 'yoo serve': counts, then the failed machines (newest first) with phase and message,"
                + " then those in progress. With --state/--role/--label or --all: every matching machine.",
            "Reads the server's REST API with the admin token."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every (matching) machine is done (installed, rebooting or running)", "1:some machine failed",
            "2:usage error", "3:the server cannot be reached or refused the token", "5:machines still in progress"})
final class StatusCommand implements Callable<Integer> {
    static final int EXIT_IN_PROGRESS = 5;

    @Spec
    CommandSpec spec;

    @Mixin
    ServerConnection server = new ServerConnection();

    @Option(names = "--json", description = "Print JSON: {\"summary\": counts, \"machines\": the matching machine records} (with --machine: its record and history).")
    boolean json;

    @Option(names = "--machine", paramLabel = "NAME", description = "One machine, with its event history.")
    Optional<String> machine;

    @Option(names = "--state", paramLabel = "STATE", split = ",",
            description = "Only machines in these states (unknown, dhcp, booting, installing, installed, rebooting, running, failed); repeatable.")
    List<String> states = new ArrayList<>();

    @Option(names = "--role", paramLabel = "ROLE", split = ",", description = "Only machines with this role (control-plane, worker); repeatable.")
    List<String> roles = new ArrayList<>();

    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "Only machines with this label; repeatable (all must match).")
    List<String> labels = new ArrayList<>();

    @Option(names = "--all", description = "List every machine, not only the failed and in-progress ones.")
    boolean all;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        MachineFilter filter;
        try {
            filter = Watching.filter(states, roles, labels);
            machine.ifPresent(Watching::pathSegment);
        } catch (IllegalArgumentException e) {
            err.println("yoo status: " + e.getMessage());
            return Yoo.EXIT_USAGE;
        }
        try {
            ServerApi api = server.connect();
            if (machine.isPresent()) {
                JsonNode m = api.get("/api/v1/machines/" + Watching.pathSegment(machine.get()), Yoo.EXIT_INVALID, Yoo.EXIT_ENVIRONMENT);
                if (json) {
                    out.println(api.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(m));
                } else {
                    printMachine(out, m);
                }
                return exitFor(Progress.of(List.of(m)));
            }
            Progress p = Progress.of(Watching.machines(api, filter));
            boolean filtered = !filter.equals(MachineFilter.ALL);
            if (json) {
                out.println(api.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(json(api, p)));
            } else {
                printSummary(out, p, filtered, Instant.now());
            }
            return exitFor(p);
        } catch (ServerApi.Failure f) {
            err.println("yoo status: " + f.getMessage());
            return f.exitCode();
        }
    }

    static int exitFor(Progress p) {
        return p.failed() > 0 ? Yoo.EXIT_INVALID : p.done() == p.total() ? Yoo.EXIT_OK : EXIT_IN_PROGRESS;
    }

    private static ObjectNode json(ServerApi api, Progress p) {
        ObjectNode root = api.mapper().createObjectNode();
        ObjectNode s = root.putObject("summary");
        s.put("total", p.total());
        s.put("done", p.done());
        s.put("failed", p.failed());
        s.put("inProgress", p.active());
        s.put("waiting", p.waiting());
        ObjectNode by = s.putObject("byState");
        p.byState().forEach(by::put);
        ArrayNode machines = root.putArray("machines");
        p.machines().forEach(machines::add);
        return root;
    }

    private void printSummary(PrintWriter out, Progress p, boolean filtered, Instant now) {
        out.printf("%d machine%s%s: %d done (%.0f%%), %d failed, %d in progress, %d waiting%n", p.total(), p.total() == 1 ? "" : "s",
                filtered ? " match" : "", p.done(), p.total() == 0 ? 0.0 : 100.0 * p.done() / p.total(), p.failed(), p.active(), p.waiting());
        List<String> counts = new ArrayList<>();
        p.byState().forEach((state, n) -> {
            if (n > 0) {
                counts.add(state + " " + n);
            }
        });
        if (!counts.isEmpty()) {
            out.println("  " + String.join(", ", counts));
        }
        if (all || filtered) {
            MachineRows.print(out, p.machines(), now);
            return;
        }
        if (p.failed() > 0) {
            out.printf("failed (%d), newest first:%n", p.failed());
            MachineRows.print(out, p.failedMachines(), now);
        }
        if (p.active() > 0) {
            out.printf("in progress (%d):%n", p.active());
            MachineRows.print(out, p.activeMachines(), now);
        }
    }

    private static void printMachine(PrintWriter out, JsonNode m) {
        out.printf("%s  %s  %s  phase %s %s%n", m.path("name").asText(), m.path("ip").asText("-"), m.path("state").asText(),
                m.path("phase").asText("-"), m.path("phaseStatus").asText(""));
        if (m.hasNonNull("message")) {
            out.println("  " + m.path("message").asText().replace("\n", "\n  "));
        }
        for (JsonNode e : m.path("history")) {
            String at = Progress.time(e.path("at")).map(i -> LocalTime.ofInstant(i, ZoneId.systemDefault()).truncatedTo(ChronoUnit.SECONDS).toString())
                    .orElse("--:--:--");
            out.printf("  %s %-8s %-18s %-9s %s%n", at, e.path("source").asText(), e.path("phase").asText(),
                    e.path("status").asText(), e.path("message").asText("").lines().findFirst().orElse(""));
        }
    }
}
