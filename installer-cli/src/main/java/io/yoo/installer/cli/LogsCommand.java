package io.yoo.installer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.yoo.installer.cli.console.ServerApi;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code yoo logs NAME [--attempt N]}: the whole install log a machine's install script uploaded
 * (on success and on failure), from a running {@code yoo serve}; the newest attempt's by default.
 */
@Command(name = "logs", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Print the install log of a machine's attempt (the install script's whole output, uploaded when it ended) from a running"
                + " 'yoo serve'. Without --attempt: the newest attempt that has a log; --list shows which attempts have one."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:printed", "1:no such machine, or no log for it (or that attempt)", "2:usage error",
            "3:the server cannot be reached or refused the token"})
final class LogsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ServerConnection server = new ServerConnection();

    @Parameters(paramLabel = "NAME", description = "The machine.")
    String name;

    @Option(names = "--attempt", paramLabel = "N", description = "The attempt (the machine's generation: 0 for the first install, +1 per reprovision).")
    Integer attempt;

    @Option(names = "--list", description = "List the attempts that have a log (attempt, uploaded, size) instead of printing one.")
    boolean list;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (attempt != null && attempt < 0) {
            err.println("yoo logs: --attempt must be 0 or more, got " + attempt);
            return Yoo.EXIT_USAGE;
        }
        String machine = "/api/v1/machines/" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
        try {
            ServerApi api = server.connect();
            JsonNode logs = api.get(machine + "/attempts", Yoo.EXIT_INVALID, Yoo.EXIT_ENVIRONMENT).path("items");
            if (list) {
                out.printf("%-8s %-26s %s%n", "ATTEMPT", "UPLOADED", "BYTES");
                for (JsonNode l : logs) {
                    out.printf("%-8d %-26s %d%n", l.get("attempt").asInt(), l.get("uploadedAt").asText(), l.get("bytes").asLong());
                }
                return Yoo.EXIT_OK;
            }
            int n;
            if (attempt != null) {
                n = attempt;
            } else if (logs.isEmpty()) {
                err.println("yoo logs: " + name + " has uploaded no install log yet (the install script sends it when it ends)");
                return Yoo.EXIT_INVALID;
            } else {
                n = logs.get(0).get("attempt").asInt(); // newest first
            }
            out.print(api.getText(machine + "/attempts/" + n + "/log", Yoo.EXIT_INVALID, Yoo.EXIT_ENVIRONMENT));
            out.flush();
            return Yoo.EXIT_OK;
        } catch (ServerApi.Failure f) {
            err.println("yoo logs: " + f.getMessage());
            return f.exitCode();
        }
    }
}
