package io.yoo.installer.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine;

/**
 * The parts every {@code --help} has, added in one place instead of per command: an
 * "Examples:" section (text from {@code help-examples.properties}, keyed by the command's
 * qualified name, e.g. {@code assets sync}) and an "Exit codes:" section (a command's own list,
 * else {@link #COMMON_EXIT_CODES}; "2 usage error" is added where a list leaves it out, since
 * every command can get a usage error). Also the one usage-error handler: the message on its
 * own line, then the usage, exit 2.
 */
final class HelpSections {
    static final String EXAMPLES_HEADING = "examplesHeading";
    static final String EXAMPLES = "examples";
    static final String RESOURCE = "help-examples.properties";

    /** For commands that do not list their own. */
    static final Map<String, String> COMMON_EXIT_CODES = codes(
            "0:success",
            "1:invalid input (descriptor errors are listed as file:line:column)",
            "2:usage error (the message, then this help, on stderr)",
            "3:environment problem (permission, port in use, peer unreachable)",
            "4:internal error");

    private HelpSections() {}

    /** Adds the sections to {@code root} and every subcommand below it, and installs the usage-error handler. */
    static void install(CommandLine root) {
        Properties examples = load();
        root.setParameterExceptionHandler(HelpSections::usageError);
        for (CommandLine c : tree(root)) {
            UsageMessageSpec u = c.getCommandSpec().usageMessage();
            Map<String, String> exit = new LinkedHashMap<>(u.exitCodeList().isEmpty() ? COMMON_EXIT_CODES : u.exitCodeList());
            if (!exit.containsKey("2")) {
                exit.put("2", "usage error (the message, then this help, on stderr)");
            }
            u.exitCodeListHeading("%nExit codes:%n").exitCodeList(sorted(exit));
            String text = examples.getProperty(key(c));
            if (text == null) {
                continue; // CliHelpTest fails for a command without examples
            }
            Map<String, CommandLine.IHelpSectionRenderer> sections = c.getHelpSectionMap();
            sections.put(EXAMPLES_HEADING, help -> "%nExamples:%n".formatted());
            sections.put(EXAMPLES, help -> indent(text));
            List<String> order = new ArrayList<>(c.getHelpSectionKeys());
            order.removeAll(List.of(EXAMPLES_HEADING, EXAMPLES));
            int at = order.indexOf(UsageMessageSpec.SECTION_KEY_EXIT_CODE_LIST_HEADING);
            order.addAll(at, List.of(EXAMPLES_HEADING, EXAMPLES));
            c.setHelpSectionKeys(order);
        }
    }

    /** "ipmi-scan", "assets sync": the command's name below {@code yoo}, the key in {@link #RESOURCE}. */
    static String key(CommandLine c) {
        String q = c.getCommandSpec().qualifiedName(" ");
        return q.startsWith("yoo ") ? q.substring(4) : q;
    }

    static List<CommandLine> tree(CommandLine root) {
        List<CommandLine> out = new ArrayList<>();
        out.add(root);
        for (CommandLine sub : root.getSubcommands().values()) {
            if (sub.getParent() == root && !out.contains(sub)) { // aliases map to the same CommandLine
                out.addAll(tree(sub).stream().filter(s -> !out.contains(s)).toList());
            }
        }
        return out;
    }

    /** The message on its own line (never run together with what follows), then the usage: exit 2. */
    static int usageError(CommandLine.ParameterException ex, String[] args) {
        CommandLine c = ex.getCommandLine();
        PrintWriter err = c.getErr();
        err.println(c.getCommandSpec().qualifiedName() + ": " + ex.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
        err.println();
        c.usage(err, c.getColorScheme());
        err.flush();
        return Yoo.EXIT_USAGE;
    }

    private static String indent(String text) {
        StringBuilder sb = new StringBuilder();
        for (String line : text.strip().split("\n")) {
            sb.append("  ").append(line.strip()).append(System.lineSeparator());
        }
        return sb.toString();
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = HelpSections.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " missing from the jar");
            }
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    private static Map<String, String> codes(String... entries) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String e : entries) {
            int colon = e.indexOf(':');
            m.put(e.substring(0, colon), e.substring(colon + 1));
        }
        return m;
    }

    private static Map<String, String> sorted(Map<String, String> m) {
        Map<String, String> out = new LinkedHashMap<>();
        m.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }
}
