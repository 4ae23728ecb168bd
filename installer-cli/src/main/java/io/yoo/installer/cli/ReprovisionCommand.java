package io.yoo.installer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yoo.installer.cli.console.ServerApi;
import io.yoo.installer.ipmi.control.BmcControl;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code yoo reprovision}: through the running server ({@code POST /api/v1/reprovision}) the
 * machines' records are reset (a new attempt) and, for machines with a BMC, network boot once and a
 * power cycle are sent by the server; or, given a descriptor or {@code --bmc}, only the BMC part,
 * from here (the server's record is not touched).
 */
@Command(name = "reprovision", mixinStandardHelpOptions = true, sortOptions = false,
        customSynopsis = {"yoo reprovision NAME... | --state S | --label K=V [--role R] [--url URL] [--state-dir DIR] [--reason TEXT]",
            "yoo reprovision [FILE | -d FILE | --example NAME | --bmc ADDRESS] MACHINE [OPTIONS]"},
        description = {"Reinstall machines: a running 'yoo serve' resets their records (a new attempt) and, for each machine with a bmc:"
                + " block, sets network boot once and power-cycles it (powers it on if off); without a BMC the machine reinstalls at its"
                + " next network boot. --state, --label and --role choose machines like 'yoo status' (all must hold).",
            "With a descriptor (FILE, -d, --example) or --bmc: only the BMC part, from this host, for one MACHINE.",
            "  NAME     machines by name (with a filter: only those of them that match)"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:reset (and, where there is a BMC, power-cycled)", "1:no such machine, none matched, or a bad descriptor",
            "2:usage error", "3:the server or a BMC cannot be reached, or refused"})
public final class ReprovisionCommand implements Callable<Integer> {
    @Mixin
    BmcTargetOptions target;

    @Mixin
    ServerConnection server = new ServerConnection();

    @Parameters(arity = "0..*", paramLabel = "NAME", hidden = true)
    List<String> args = new ArrayList<>();

    @Option(names = "--state", paramLabel = "STATE", split = ",", description = "Through the server: machines in this state (comma-separated).")
    List<String> states = new ArrayList<>();

    @Option(names = "--label", paramLabel = "K=V", description = "Through the server: machines with this label (K=V or K; repeatable).")
    List<String> labels = new ArrayList<>();

    @Option(names = "--role", paramLabel = "ROLE", description = "Through the server: machines of this role.")
    String role;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Through the server: the reason written to the history and audit log.")
    String reason;

    @Option(names = "--legacy", description = "With a descriptor or --bmc: ask for a legacy BIOS PXE boot (default: UEFI).")
    boolean legacy;

    PrintStream out = System.out;
    PrintStream err = System.err;
    Map<String, String> env = System.getenv();

    /** A ParameterException thrown here is a usage error: picocli prints it with the usage and exits 2 (HelpSections). */
    @Override
    public Integer call() throws Exception {
        boolean direct = target.address != null || target.descriptor != null || target.example != null
                || (args.size() == 2 && looksLikeDescriptor(args.getFirst()));
        if (direct) {
            return bmcOnly();
        }
        if (args.isEmpty() && states.isEmpty() && labels.isEmpty() && role == null) {
            throw new ParameterException(target.spec.commandLine(),
                    "say which machines: NAME..., --state, --label or --role");
        }
        return throughServer();
    }

    private static boolean looksLikeDescriptor(String arg) {
        return arg.endsWith(".yml") || arg.endsWith(".yaml") || arg.contains("/") || Files.isRegularFile(Path.of(arg));
    }

    private int throughServer() throws IOException {
        StringBuilder q = new StringBuilder();
        if (!states.isEmpty()) {
            q.append("&state=").append(enc(String.join(",", states)));
        }
        labels.forEach(l -> q.append("&label=").append(enc(l)));
        if (role != null) {
            q.append("&role=").append(enc(role));
        }
        ObjectNode body = new ObjectMapper().createObjectNode();
        if (!args.isEmpty()) {
            args.forEach(body.putArray("names")::add);
        }
        if (reason != null) {
            body.put("reason", reason);
        }
        String path = "/api/v1/reprovision" + (q.isEmpty() ? "" : "?" + q.substring(1));
        JsonNode answer;
        try {
            answer = server.connect().send("POST", path, body, Yoo.EXIT_INVALID, Yoo.EXIT_ENVIRONMENT, Yoo.EXIT_INVALID);
        } catch (ServerApi.Failure f) {
            err.println("yoo reprovision: " + f.getMessage());
            return f.exitCode();
        }
        if (answer.path("count").asInt() == 0) {
            err.println("yoo reprovision: no machine matched");
            return Yoo.EXIT_INVALID;
        }
        int failed = 0;
        for (JsonNode m : answer.path("items")) {
            JsonNode bmc = m.path("bmc");
            String what;
            if (bmc.isMissingNode() || bmc.isNull()) {
                what = "no BMC: reinstalls at its next network boot";
            } else if (bmc.hasNonNull("error")) {
                failed++;
                what = "BMC " + bmc.path("address").asText() + " FAILED: " + bmc.get("error").asText()
                        + " (the record is reset: it reinstalls at its next network boot)";
            } else {
                what = "BMC " + bmc.path("address").asText() + ": " + bmc.path("done").asText();
            }
            out.println(m.path("name").asText() + ": reset (attempt " + m.path("generation").asInt() + "); " + what);
        }
        if (failed > 0) {
            err.println("yoo reprovision: " + failed + " BMC" + (failed == 1 ? "" : "s") + " failed");
            return Yoo.EXIT_ENVIRONMENT;
        }
        return Yoo.EXIT_OK;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** The BMC part only, from this host: the descriptor's bmc: block or --bmc. */
    private int bmcOnly() {
        if (args.isEmpty() || args.size() > 2) {
            throw new ParameterException(target.spec.commandLine(), "with a descriptor or --bmc give [FILE] MACHINE");
        }
        Path file = args.size() == 2 ? Path.of(args.getFirst()) : null;
        String machine = args.getLast();
        BmcLookup.BmcTarget t;
        try {
            t = target.resolve(machine, file, env);
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            err.println("yoo reprovision: " + e.getMessage());
            return Yoo.EXIT_INVALID;
        }
        try (BmcControl c = target.connect(t)) {
            c.reprovision(!legacy);
            out.println(machine + " (" + t + "): PXE boot once (" + (legacy ? "legacy" : "UEFI") + ") set, power cycled");
            return Yoo.EXIT_OK;
        } catch (IOException e) {
            err.println("yoo reprovision: " + machine + " (" + t + "): " + e.getMessage());
            return Yoo.EXIT_ENVIRONMENT;
        }
    }
}
