package io.yoo.installer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yoo.installer.cli.console.ServerApi;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code yoo token}: API tokens of a running {@code yoo serve}, through its API with an admin token
 * (the server holds the H2 file open, so the store is not opened directly). Only a hash of each
 * token is stored: {@code create} prints the token once.
 */
@Command(name = "token", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Create, list and revoke API tokens of a running 'yoo serve' (read-only: reads everything; admin: also reprovisions,"
                + " renders configs with secrets, manages tokens and reads the audit log)."},
        subcommands = {TokenCommand.Create.class, TokenCommand.ListTokens.class, TokenCommand.Revoke.class})
final class TokenCommand implements Runnable {
    static final String EXIT_CODES_SERVER = "3:the server cannot be reached or refused the admin token";

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Kind {
        @Option(names = "--read-only", required = true, description = "May read everything (machines, summary, leases, stream); nothing else.")
        boolean readOnly;

        @Option(names = "--admin", required = true, description = "May also act: reprovision, render configs (they hold join tokens), tokens, audit.")
        boolean admin;
    }

    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,6})([dhm])");

    /** {@code 30d}, {@code 12h}, {@code 90m}, or ISO-8601 ({@code P30D}, {@code PT12H}), as the ISO-8601 the API takes. */
    static Duration duration(String text) {
        Matcher m = SHORT_DURATION.matcher(text);
        Duration d;
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            d = switch (m.group(2)) {
                case "d" -> Duration.ofDays(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofMinutes(n);
            };
        } else {
            try {
                d = Duration.parse(text);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("--expires must be like 30d, 12h, 90m or P30D, got '" + text + "'");
            }
        }
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException("--expires must be positive, got '" + text + "'");
        }
        return d;
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a token and print it once (only its hash is kept: store it now).",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:created (the token is on stdout)", "1:refused (name taken or invalid)", "2:usage error", EXIT_CODES_SERVER})
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ServerConnection server = new ServerConnection();

        @ArgGroup(exclusive = true, multiplicity = "1")
        Kind kind;

        @Option(names = "--name", required = true, paramLabel = "NAME", description = "Unique name: lower-case letters, digits, '.', '_', '-' (the audit log's 'who').")
        String name;

        @Option(names = "--expires", paramLabel = "DURATION", description = "Refused after this long: 30d, 12h, 90m or ISO-8601 (default: never).")
        String expires;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            ObjectNode body = new ObjectMapper().createObjectNode();
            body.put("name", name);
            body.put("kind", kind.admin ? "admin" : "read-only");
            try {
                if (expires != null) {
                    body.put("expiresIn", duration(expires).toString());
                }
            } catch (IllegalArgumentException e) {
                err.println("yoo token create: " + e.getMessage());
                return Yoo.EXIT_USAGE;
            }
            try {
                JsonNode created = server.connect().send("POST", "/api/v1/tokens", body, Yoo.EXIT_INVALID, Yoo.EXIT_ENVIRONMENT, Yoo.EXIT_INVALID);
                out.println(created.get("token").asText());
                err.println("token '" + name + "' (" + created.get("kind").asText() + ")"
                        + (created.get("expiresAt").isNull() ? "" : ", expires " + created.get("expiresAt").asText())
                        + ": shown once, store it now");
                return Yoo.EXIT_OK;
            } catch (ServerApi.Failure f) {
                err.println("yoo token create: " + f.getMessage());
                return f.exitCode();
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the tokens: name, kind, created, last used, expiry (never the token).",
            exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:listed", "2:usage error", EXIT_CODES_SERVER})
    static final class ListTokens implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ServerConnection server = new ServerConnection();

        @Option(names = "--json", description = "Print the API's JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            try {
                JsonNode list = server.connect().get("/api/v1/tokens", Yoo.EXIT_INVALID, Yoo.EXIT_ENVIRONMENT);
                if (json) {
                    out.println(list.toPrettyString());
                    return Yoo.EXIT_OK;
                }
                out.printf("%-24s %-10s %-24s %-24s %s%n", "NAME", "KIND", "CREATED", "LAST USED", "EXPIRES");
                for (JsonNode t : list) {
                    out.printf("%-24s %-10s %-24s %-24s %s%n", t.get("name").asText(), t.get("kind").asText(), t.get("createdAt").asText(),
                            text(t.get("lastUsedAt"), "never"), text(t.get("expiresAt"), "never"));
                }
                return Yoo.EXIT_OK;
            } catch (ServerApi.Failure f) {
                spec.commandLine().getErr().println("yoo token list: " + f.getMessage());
                return f.exitCode();
            }
        }

        private static String text(JsonNode v, String none) {
            return v == null || v.isNull() ? none : v.asText();
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a token by name: refused from then on.",
            exitCodeListHeading = "%nExit codes:%n", exitCodeList = {"0:revoked", "1:no token of that name", "2:usage error", EXIT_CODES_SERVER})
    static final class Revoke implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        ServerConnection server = new ServerConnection();

        @Parameters(paramLabel = "NAME", description = "The token's name (see yoo token list).")
        String name;

        @Override
        public Integer call() throws Exception {
            try {
                server.connect().send("DELETE", "/api/v1/tokens/" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20"), null,
                        Yoo.EXIT_INVALID, Yoo.EXIT_ENVIRONMENT, Yoo.EXIT_INVALID);
                spec.commandLine().getOut().println("revoked token '" + name + "'");
                return Yoo.EXIT_OK;
            } catch (ServerApi.Failure f) {
                spec.commandLine().getErr().println("yoo token revoke: " + f.getMessage());
                return f.exitCode();
            }
        }
    }
}
