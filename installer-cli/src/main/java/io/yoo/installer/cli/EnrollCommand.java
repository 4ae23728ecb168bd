package io.yoo.installer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.cli.console.ServerApi;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code yoo enroll}: gives discovered machines a name, role, labels and address through a running
 * server's API, which writes them to the descriptor's {@code machinesFrom} file and reloads it;
 * each prints the file's diff. One machine (by id, MAC or serial), or many from a CSV.
 */
@Command(name = "enroll", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        customSynopsis = {"yoo enroll ID|MAC|SERIAL --name NAME --role ROLE [--label KEY=VALUE]... [--ip ADDRESS] [OPTIONS]",
            "yoo enroll --csv FILE [OPTIONS]"},
        description = {"Enroll machines that booted discovery (see 'yoo discovered'): the server adds them to the descriptor's machinesFrom file"
                + " (e.g. enrolled.yml), reloads it and prints the diff; each machine then reboots into its install.",
            "CSV: one machine a line, 'SERIAL-or-MAC,NAME,ROLE,LABELS,IP' (LABELS as key=value;key=value, may be empty; IP empty: the"
                + " server suggests a free one); a header line starting with 'serial' or 'mac', blank lines and '#' comments are skipped."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every machine enrolled", "1:one or more refused or not found (the others are enrolled)", "2:usage error",
            TokenCommand.EXIT_CODES_SERVER})
final class EnrollCommand implements Callable<Integer> {
    static final int MAX_CSV_BYTES = 1 << 20;
    static final int MAX_CSV_ROWS = 10_000;

    @Spec
    CommandSpec spec;

    @Mixin
    ServerConnection server = new ServerConnection();

    @Parameters(arity = "0..1", paramLabel = "ID|MAC|SERIAL", description = "The discovered machine: its id, boot MAC or SMBIOS serial.")
    String which;

    @Option(names = "--name", paramLabel = "NAME", description = "Its hostname in the cluster.")
    String name;

    @Option(names = "--role", paramLabel = "ROLE", description = "control-plane or worker.")
    String role;

    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "A label (repeat for more).")
    List<String> labels = new ArrayList<>();

    @Option(names = "--ip", paramLabel = "ADDRESS", description = "Its fixed address (default: the lowest free one outside network.pool).")
    String ip;

    @Option(names = "--csv", paramLabel = "FILE", description = "Enroll every machine the file lists (see above).")
    Path csv;

    /** One machine to enroll, as read from the command line or a CSV line. */
    record Row(String where, String key, String name, String role, Map<String, String> labels, String ip) {}

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        List<Row> rows;
        try {
            rows = csv != null ? csvRows(csv) : List.of(single());
        } catch (IllegalArgumentException e) {
            err.println("yoo enroll: " + e.getMessage());
            return Yoo.EXIT_USAGE;
        }
        try {
            ServerApi api = server.connect();
            JsonNode discovered = api.get("/api/v1/discovered", Yoo.EXIT_INVALID, Yoo.EXIT_ENVIRONMENT);
            int refused = 0;
            for (Row r : rows) {
                if (!enroll(api, discovered, r)) {
                    refused++;
                }
            }
            return refused == 0 ? Yoo.EXIT_OK : Yoo.EXIT_INVALID;
        } catch (ServerApi.Failure f) {
            err.println("yoo enroll: " + f.getMessage());
            return f.exitCode();
        }
    }

    private Row single() {
        if (which == null || name == null || role == null) {
            throw new IllegalArgumentException("give ID|MAC|SERIAL, --name and --role (or --csv FILE)");
        }
        Map<String, String> l = new LinkedHashMap<>();
        for (String kv : labels) {
            label(kv, l, "--label");
        }
        return new Row("command line", which, name, role, l, ip);
    }

    private static void label(String kv, Map<String, String> into, String where) {
        int eq = kv.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException(where + ": '" + kv + "' is not KEY=VALUE");
        }
        into.put(kv.substring(0, eq).strip(), kv.substring(eq + 1).strip());
    }

    static List<Row> csvRows(Path file) {
        List<String> lines;
        try {
            if (Files.size(file) > MAX_CSV_BYTES) {
                throw new IllegalArgumentException(file + ": larger than " + MAX_CSV_BYTES + " bytes");
            }
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read it: " + e.getMessage());
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            String where = file + ":" + (i + 1);
            if (line.isEmpty() || line.startsWith("#") || (rows.isEmpty() && line.toLowerCase(Locale.ROOT).matches("(serial|mac)[^,]*,.*"))) {
                continue;
            }
            String[] f = line.split(",", -1);
            if (f.length < 3 || f.length > 5) {
                throw new IllegalArgumentException(where + ": expected SERIAL-or-MAC,NAME,ROLE[,LABELS[,IP]], got " + f.length + " fields");
            }
            Map<String, String> l = new LinkedHashMap<>();
            if (f.length > 3 && !f[3].isBlank()) {
                for (String kv : f[3].split(";")) {
                    label(kv.strip(), l, where + ": labels");
                }
            }
            rows.add(new Row(where, f[0].strip(), f[1].strip(), f[2].strip(), l, f.length > 4 && !f[4].isBlank() ? f[4].strip() : null));
            if (rows.size() > MAX_CSV_ROWS) {
                throw new IllegalArgumentException(file + ": more than " + MAX_CSV_ROWS + " machines");
            }
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException(file + ": no machine in it");
        }
        return rows;
    }

    /** The discovered machines the key names: by id, else by boot MAC, else by serial. */
    static List<JsonNode> matching(JsonNode discovered, String key) {
        List<JsonNode> out = new ArrayList<>();
        String mac = null;
        try {
            mac = MacAddress.parse(key).toString();
        } catch (IllegalArgumentException e) {
            // not a MAC: an id or a serial
        }
        for (JsonNode d : discovered) {
            boolean hit = key.matches("[0-9]{1,18}") ? d.get("id").asText().equals(key)
                    : mac != null ? d.get("mac").asText().equals(mac) : !d.get("serial").isNull() && d.get("serial").asText().equals(key);
            if (hit && !"rejected".equals(d.get("status").asText())) {
                out.add(d);
            }
        }
        return out;
    }

    private boolean enroll(ServerApi api, JsonNode discovered, Row r) throws ServerApi.Failure {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<JsonNode> hits = matching(discovered, r.key());
        if (hits.size() != 1) {
            err.println("yoo enroll: " + r.where() + ": " + (hits.isEmpty() ? "no discovered machine " : hits.size() + " discovered machines match ")
                    + r.key() + (hits.isEmpty() ? " (see yoo discovered)" : ": use the id"));
            return false;
        }
        ObjectNode body = api.mapper().createObjectNode();
        body.put("name", r.name());
        body.put("role", r.role());
        ObjectNode l = body.putObject("labels");
        r.labels().forEach(l::put);
        if (r.ip() != null) {
            body.put("ip", r.ip());
        }
        long id = hits.getFirst().get("id").asLong();
        try {
            JsonNode done = api.send("POST", "/api/v1/discovered/" + id + "/enroll", body, Yoo.EXIT_INVALID, Yoo.EXIT_ENVIRONMENT, Yoo.EXIT_INVALID);
            out.println("enrolled #" + id + " (" + hits.getFirst().get("mac").asText() + ") as " + done.get("name").asText() + " at "
                    + done.get("ip").asText());
            out.print(done.get("diff").asText());
            return true;
        } catch (ServerApi.Failure f) {
            if (f.exitCode() == Yoo.EXIT_ENVIRONMENT) {
                throw f;
            }
            err.println("yoo enroll: " + r.where() + ": #" + id + ": " + f.getMessage());
            return false;
        }
    }
}
