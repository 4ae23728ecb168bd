package io.yoo.installer.cli;

import io.yoo.installer.core.state.MachineState;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code yoo status}: what a running `yoo serve` knows, from the shell (its REST API). */
@Command(name = "status", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Show the machines of a running 'yoo serve' and their provisioning state (reads its REST API).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every machine is done (installed, rebooting or running)", "1:some machine failed",
            "2:usage error", "3:the server cannot be reached or refused the token", "5:machines still in progress"})
final class StatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--url", defaultValue = "http://127.0.0.1:8080", description = "The server (default ${DEFAULT-VALUE}).")
    URI url;

    @Option(names = "--state-dir", defaultValue = ".yoo", paramLabel = "DIR", description = "Where the admin token is (default ${DEFAULT-VALUE}).")
    Path stateDir;

    @Option(names = "--token-env", defaultValue = "YOO_ADMIN_TOKEN", paramLabel = "VAR",
            description = "Environment variable with the admin token, used before the state dir (default ${DEFAULT-VALUE}).")
    String tokenEnv;

    @Option(names = "--json", description = "Print the API's JSON (machines with state) instead of a table.")
    boolean json;

    @Option(names = "--machine", paramLabel = "NAME", description = "One machine, with its event history.")
    Optional<String> machine;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String token = Optional.ofNullable(System.getenv(tokenEnv)).orElse(null);
        if (token == null) {
            Path f = stateDir.resolve("admin-token");
            if (!Files.isReadable(f)) {
                err.println("yoo status: no admin token: set " + tokenEnv + " or point --state-dir at the server's state directory (" + f + " not readable)");
                return Yoo.EXIT_USAGE;
            }
            token = Files.readString(f).trim();
        }
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        ObjectMapper mapper = new ObjectMapper();
        JsonNode body;
        String path = machine.map(m -> "/api/v1/machines/" + m).orElse("/api/v1/summary");
        try {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(url.resolve(path)).timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 401 || r.statusCode() == 403) {
                err.println("yoo status: the server refused the admin token (HTTP " + r.statusCode() + ")");
                return Yoo.EXIT_ENVIRONMENT;
            }
            if (r.statusCode() != 200) {
                err.println("yoo status: HTTP " + r.statusCode() + " from " + url.resolve(path) + ": " + r.body());
                return r.statusCode() == 404 ? Yoo.EXIT_INVALID : Yoo.EXIT_ENVIRONMENT;
            }
            body = mapper.readTree(r.body());
        } catch (ConnectException e) {
            err.println("yoo status: nothing answers at " + url + " (is 'yoo serve' running? --url sets where)");
            return Yoo.EXIT_ENVIRONMENT;
        } catch (IOException e) {
            err.println("yoo status: " + url + ": " + e);
            return Yoo.EXIT_ENVIRONMENT;
        }
        if (json) {
            out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(body));
        } else if (machine.isPresent()) {
            printMachine(out, body);
        } else {
            printSummary(out, body);
        }
        if (machine.isPresent()) {
            return exitFor(body.path("state").asText());
        }
        return body.path("failed").asLong() > 0 ? Yoo.EXIT_INVALID : body.path("done").asLong() == body.path("total").asLong() ? Yoo.EXIT_OK : 5;
    }

    private static int exitFor(String state) {
        if (MachineState.doneKeys().contains(state)) {
            return Yoo.EXIT_OK;
        }
        return state.equals(MachineState.FAILED.key()) ? Yoo.EXIT_INVALID : 5;
    }

    private static void printSummary(PrintWriter out, JsonNode s) {
        long total = s.path("total").asLong();
        long done = s.path("done").asLong();
        out.printf("%d/%d machines done (%.0f%%), %d failed%n", done, total, 100.0 * s.path("progress").asDouble(), s.path("failed").asLong());
        s.path("byState").fields().forEachRemaining(e -> {
            if (e.getValue().asLong() > 0) {
                out.printf("  %-10s %d%n", e.getKey(), e.getValue().asLong());
            }
        });
    }

    private static void printMachine(PrintWriter out, JsonNode m) {
        out.printf("%s  %s  %s  phase %s %s%n", m.path("name").asText(), m.path("ip").asText("-"), m.path("state").asText(),
                m.path("phase").asText("-"), m.path("phaseStatus").asText(""));
        if (m.hasNonNull("message")) {
            out.println("  " + m.path("message").asText().replace("\n", "\n  "));
        }
        for (JsonNode e : m.path("history")) {
            out.printf("  %tT %-8s %-18s %-9s %s%n", e.path("at").asLong(), e.path("source").asText(), e.path("phase").asText(),
                    e.path("status").asText(), e.path("message").asText("").lines().findFirst().orElse(""));
        }
    }
}
