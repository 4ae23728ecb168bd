package io.yoo.installer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.yoo.installer.cli.console.ServerApi;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code yoo discovered}: the machines in no descriptor that booted discovery, with their inventory, from a running server. */
@Command(name = "discovered", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"List the machines that booted discovery (server.discovery) and reported their inventory; enroll them with 'yoo enroll'."},
        exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:listed", "2:usage error", TokenCommand.EXIT_CODES_SERVER})
final class DiscoveredCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ServerConnection server = new ServerConnection();

    @Option(names = "--json", description = "Print the API's JSON (with the whole inventory).")
    boolean json;

    static final String ROW = "%-5s %-9s %-17s %-16s %-24s %5s %8s %-28s %s%n";

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try {
            JsonNode list = server.connect().get("/api/v1/discovered", Yoo.EXIT_INVALID, Yoo.EXIT_ENVIRONMENT);
            if (json) {
                out.println(list.toPrettyString());
                return Yoo.EXIT_OK;
            }
            out.printf(ROW, "ID", "STATUS", "MAC", "SERIAL", "PRODUCT", "CPUS", "MEMORY", "DISKS", "NOTE");
            for (JsonNode d : list) {
                JsonNode inv = d.get("inventory");
                out.printf(ROW, d.get("id").asText(), d.get("status").asText(), d.get("mac").asText(), text(d.get("serial")),
                        clip(text(inv.at("/system/vendor")) + " " + text(inv.at("/system/product")), 24), text(inv.at("/cpu/count")),
                        bytes(inv.at("/memoryBytes")), disks(inv.get("disks")), d.get("heldReason").isNull() ? "" : d.get("heldReason").asText());
            }
            return Yoo.EXIT_OK;
        } catch (ServerApi.Failure f) {
            spec.commandLine().getErr().println("yoo discovered: " + f.getMessage());
            return f.exitCode();
        }
    }

    private static String disks(JsonNode disks) {
        if (disks == null || disks.isEmpty()) {
            return "-";
        }
        StringBuilder sb = new StringBuilder();
        for (JsonNode d : disks) {
            sb.append(sb.isEmpty() ? "" : ",").append(d.get("name").asText()).append(':').append(bytes(d.get("sizeBytes")));
        }
        return clip(sb.toString(), 28);
    }

    /** Bytes in the largest binary unit that keeps a number of at least 1 (G for GiB). */
    static String bytes(JsonNode v) {
        if (v == null || !v.isNumber()) {
            return "-";
        }
        double b = v.asDouble();
        String[] units = {"B", "K", "M", "G", "T", "P"};
        int u = 0;
        while (b >= 1024 && u < units.length - 1) {
            b /= 1024;
            u++;
        }
        return (b >= 10 || u == 0 ? String.valueOf(Math.round(b)) : String.format("%.1f", b)) + units[u];
    }

    private static String text(JsonNode v) {
        return v == null || v.isNull() || v.isMissingNode() ? "-" : v.asText();
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
