package io.yoo.installer.dist;

import io.yoo.installer.cli.Yoo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Writes the yoo(1) man page in troff from the picocli model of the {@code yoo} command, at build
 * time, so it lists exactly the commands and options the packaged jar has. (picocli-codegen's
 * ManPageGenerator writes AsciiDoc, which needs asciidoctor to become troff; nothing here has it.)
 *
 * <p>Usage: {@code ManPage OUT_FILE VERSION}.
 */
public final class ManPage {
    private final StringBuilder out = new StringBuilder();

    private ManPage() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: ManPage OUT_FILE VERSION");
        }
        Files.writeString(Path.of(args[0]), render(Yoo.commandLine(), args[1]));
    }

    static String render(CommandLine root, String version) {
        return new ManPage().page(root, version);
    }

    private String page(CommandLine root, String version) {
        CommandSpec spec = root.getCommandSpec();
        line(".TH YOO 1 \"\" " + quoted("yoo " + version) + " \"Yoo Installer\"");
        line(".SH NAME");
        line("yoo \\- " + text(String.join(" ", spec.usageMessage().description()).replaceFirst("^Yoo Installer: ", "")));
        line(".SH SYNOPSIS");
        line(".B yoo");
        line("[\\fIOPTIONS\\fR] \\fICOMMAND\\fR [\\fIARGS\\fR]");
        line(".SH DESCRIPTION");
        line(text(String.join(" ", spec.usageMessage().description())));
        line(".PP");
        line("As installed by the Debian package, the service \\fByoo.service\\fR runs");
        line("\\fByoo serve /etc/yoo/cluster.yml\\fR; \\fBsystemctl reload yoo\\fR re-reads the descriptor.");
        options(spec);
        line(".SH COMMANDS");
        for (Map.Entry<String, CommandLine> e : root.getSubcommands().entrySet()) {
            CommandSpec sub = e.getValue().getCommandSpec();
            if (sub.usageMessage().hidden() || !e.getKey().equals(sub.name())) {
                continue; // hidden commands and aliases
            }
            command("yoo", e.getValue());
        }
        exitCodes(spec.usageMessage().exitCodeList());
        line(".SH FILES");
        item("/etc/yoo/cluster.yml", "The cluster descriptor the service serves (a configuration file of the package).");
        item("/var/lib/yoo", "The service's state: machines and their events, leases, cluster secrets, and the admin token (admin-token) for the REST API.");
        item("/usr/share/doc/yoo/examples", "Example descriptors: dev, small, devtest, production.");
        item("/usr/lib/ipxe", "iPXE boot files served over TFTP (package ipxe).");
        line(".SH SEE ALSO");
        line("\\fBsystemctl\\fR(1), \\fBjournalctl\\fR(1); the README in /usr/share/doc/yoo/.");
        return out.toString();
    }

    private void command(String parent, CommandLine cl) {
        CommandSpec spec = cl.getCommandSpec();
        String name = parent + " " + spec.name();
        line(".SS " + quoted(name));
        line(".B " + name.replace("-", "\\-"));
        StringBuilder synopsis = new StringBuilder();
        for (PositionalParamSpec p : spec.positionalParameters()) {
            if (!p.hidden()) {
                synopsis.append(' ').append(p.arity().min == 0 ? "[" : "").append("\\fI").append(text(p.paramLabel())).append("\\fR")
                        .append(p.arity().min == 0 ? "]" : "");
            }
        }
        if (!spec.options().isEmpty()) {
            synopsis.append(" [\\fIOPTIONS\\fR]");
        }
        if (!spec.subcommands().isEmpty()) {
            synopsis.append(" \\fICOMMAND\\fR");
        }
        line(synopsis.toString().trim());
        line(".PP");
        line(text(String.join(" ", spec.usageMessage().description())));
        for (PositionalParamSpec p : spec.positionalParameters()) {
            if (!p.hidden() && p.description().length > 0) {
                raw("\\fI" + text(p.paramLabel()) + "\\fR", String.join(" ", p.description()));
            }
        }
        for (OptionSpec o : spec.options()) {
            if (!o.hidden() && !o.usageHelp() && !o.versionHelp()) {
                option(o);
            }
        }
        for (Map.Entry<String, CommandLine> e : cl.getSubcommands().entrySet()) {
            if (!e.getValue().getCommandSpec().usageMessage().hidden() && e.getKey().equals(e.getValue().getCommandSpec().name())) {
                command(name, e.getValue());
            }
        }
    }

    private void options(CommandSpec spec) {
        line(".SH OPTIONS");
        for (OptionSpec o : spec.options()) {
            option(o);
        }
    }

    private void option(OptionSpec o) {
        String names = String.join(", ", List.of(o.names()).stream().map(n -> "\\fB" + n.replace("-", "\\-") + "\\fR").toList());
        String label = o.typeInfo().isBoolean() ? "" : " \\fI" + text(o.paramLabel()) + "\\fR";
        String description = String.join(" ", o.description()).replace("${DEFAULT-VALUE}", String.valueOf(o.defaultValue()))
                .replace("${COMPLETION-CANDIDATES}", o.completionCandidates() == null ? "" : String.join(", ", o.completionCandidates()));
        raw(names + label, description);
    }

    private void exitCodes(Map<String, String> codes) {
        if (codes.isEmpty()) {
            return;
        }
        line(".SH EXIT STATUS");
        codes.forEach((code, meaning) -> item(code.trim(), meaning));
    }

    private void item(String tag, String body) {
        raw(text(tag), body);
    }

    /** A tagged paragraph whose tag is troff already. */
    private void raw(String troffTag, String body) {
        line(".TP");
        line(troffTag);
        line(text(body));
    }

    private void line(String s) {
        out.append(s).append('\n');
    }

    /** Escapes text for troff: backslashes, hyphens, and a leading dot or quote of a line. */
    static String text(String s) {
        String t = s.replace("\\", "\\e").replace("-", "\\-").replace("%n", " ").replaceAll("\\s*\\n\\s*", " ").trim();
        if (t.startsWith(".") || t.startsWith("'")) {
            t = "\\&" + t;
        }
        return t;
    }

    private static String quoted(String s) {
        return "\"" + s.replace("\"", "'") + "\"";
    }
}
