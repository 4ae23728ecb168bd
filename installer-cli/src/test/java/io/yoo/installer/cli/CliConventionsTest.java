package io.yoo.installer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.core.descriptor.DescriptorLoader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * What every yoo command shares: Examples and Exit codes on --help, message + usage + exit 2 on
 * a usage error, one port-flag scheme (old spellings still accepted), descriptors as FILE or
 * --example.
 */
class CliConventionsTest {
    @TempDir
    Path tmp;

    /** Every command below yoo (hidden ones too), by its name below yoo: "ipmi-scan", "assets sync". */
    static Stream<String> commands() {
        List<String> out = new ArrayList<>();
        walk(Yoo.commandLine(), out);
        return out.stream();
    }

    private static void walk(CommandLine c, List<String> out) {
        String q = c.getCommandSpec().qualifiedName(" ");
        out.add(q.equals("yoo") ? q : q.substring(4));
        c.getSubcommands().values().stream().distinct().forEach(s -> walk(s, out));
    }

    private static String[] argv(String command, String... more) {
        List<String> a = new ArrayList<>(command.equals("yoo") ? List.of() : List.of(command.split(" ")));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    @ParameterizedTest
    @MethodSource("commands")
    void everyHelpHasExamplesAndExitCodes(String command) {
        CliTest.Run r = CliTest.yoo(argv(command, command.equals("help") ? "help" : "--help"));
        String help = r.out();
        assertThat(r.code()).as(help + r.err()).isZero();
        assertThat(help).as(command).containsPattern("(?m)^Examples:\\n(  .*yoo.*\\n)+");
        assertThat(help).as(command).containsPattern("(?m)^Exit codes:\\n(  +\\d+ +.+\\n)+").containsPattern("(?m)^  2 +usage error");
        assertThat(help.indexOf("Examples:")).as("examples before exit codes").isLessThan(help.indexOf("Exit codes:"));
        assertThat(help).as("one mechanism, no hand-written footer examples").doesNotContain("Example:\n");
    }

    @ParameterizedTest
    @MethodSource("commands")
    void aUsageErrorPrintsTheMessageThenTheUsageAndExits2(String command) {
        if (command.equals("help") || command.equals("yoo") || command.equals("generate-completion")) {
            return; // help takes any word; picocli's generate-completion ignores unknown options; yoo's own is its subcommands'
        }
        CliTest.Run r = CliTest.yoo(argv(command, "--no-such-flag"));
        assertThat(r.code()).as(r.err()).isEqualTo(Yoo.EXIT_USAGE);
        assertThat(r.out()).isEmpty();
        List<String> lines = r.err().lines().toList();
        // the first problem picocli finds: the unknown option, or a missing required one
        assertThat(lines.getFirst()).startsWith("yoo " + command + ": ").containsPattern("--no-such-flag|Missing required|requires at least");
        assertThat(r.err()).containsPattern("(?m)^Usage: yoo " + Pattern.quote(command) + "\\b").contains("Exit codes:");
    }

    @Test
    void aUsageErrorFoundByTheCommandItselfIsNotRunTogetherWithTheUsage() {
        CliTest.Run r = CliTest.yoo("render", "--example", "small", "--kind", "pizza", "--machine", "node-1");
        assertThat(r.code()).isEqualTo(Yoo.EXIT_USAGE);
        List<String> lines = r.err().lines().toList();
        assertThat(lines.getFirst()).startsWith("yoo render: unknown kind 'pizza': expected one of ipxe");
        assertThat(lines.get(1)).isEmpty();
        assertThat(lines.get(2)).startsWith("Usage: yoo render");
        assertThat(r.err()).endsWith("\n").doesNotContainPattern("directory\\S");
        CliTest.Run power = CliTest.yoo("power", "node-1", "explode", "--bmc", "10.0.0.1", "--password", "x");
        assertThat(power.code()).isEqualTo(Yoo.EXIT_USAGE);
        assertThat(power.err()).startsWith("yoo power: ").contains("\nUsage: yoo power");
    }

    private static Object parsed(String... args) {
        CommandLine root = Yoo.commandLine();
        CommandLine.ParseResult p = root.parseArgs(args);
        return p.subcommand().commandSpec().userObject();
    }

    @Test
    void portFlagsAreNamedAfterTheirProtocolAndTheOldSpellingsStillWork() {
        assertThat(((TftpCommand) parsed("tftp", "--tftp-port", "6969", "/srv")).port).isEqualTo(6969);
        assertThat(((TftpCommand) parsed("tftp", "--port", "6970", "/srv")).port).isEqualTo(6970);
        assertThat(((DhcpCommand) parsed("dhcp", "--dhcp-port", "1067", "--server-address", "10.0.0.1", "--subnet", "10.0.0.0/24")).port)
                .isEqualTo(1067);
        assertThat(((DhcpCommand) parsed("dhcp", "--port", "1068", "--server-address", "10.0.0.1", "--subnet", "10.0.0.0/24")).port)
                .isEqualTo(1068);
        for (String cmd : List.of("tftp", "dhcp", "http", "serve", "ipmi-scan", "power", "reprovision")) {
            String help = CliTest.yoo(cmd, "--help").out();
            assertThat(help).as(cmd).doesNotContainPattern("(?m)^\\s+--port\\b");
        }
        assertThat(CliTest.yoo("tftp", "--help").out()).contains("--tftp-port=<port>");
        assertThat(CliTest.yoo("dhcp", "--help").out()).contains("--dhcp-port=<port>");
    }

    /** power and reprovision print to System.out/err (their own streams, for the simulator tests): capture those. */
    private static CliTest.Run withSystemStreams(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Yoo.commandLine().execute(args);
            return new CliTest.Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void powerAndReprovisionTakeTheDescriptorAsFileOrExample() throws Exception {
        Path f = tmp.resolve("cluster.yml");
        Files.writeString(f, DescriptorLoader.exampleText("dev"));
        // the dev example's machine has no bmc: block: reaching that message proves the descriptor was read
        for (String[] args : List.of(new String[] {"power", f.toString(), "devbox", "status"}, new String[] {"power", "-d", f.toString(),
                "devbox", "status"}, new String[] {"power", "--example", "dev", "devbox", "status"}, new String[] {"reprovision", f.toString(),
                "devbox"}, new String[] {"reprovision", "--example", "dev", "devbox"})) {
            CliTest.Run r = withSystemStreams(args);
            assertThat(r.code()).as(String.join(" ", args) + "\n" + r.err()).isEqualTo(Yoo.EXIT_INVALID);
            assertThat(r.err()).as(String.join(" ", args)).contains("machine 'devbox' has no bmc: block");
        }
        CliTest.Run two = withSystemStreams("power", f.toString(), "devbox", "status", "--example", "dev");
        assertThat(two.code()).isEqualTo(Yoo.EXIT_USAGE);
        assertThat(two.err()).contains("give one descriptor");
    }

    @Test
    void assetsTakeTheAssetDirectoryFromTheDescriptor() throws Exception {
        Path assets = tmp.resolve("site-assets");
        Path f = tmp.resolve("cluster.yml");
        Files.writeString(f, DescriptorLoader.exampleText("dev").replace("machines:", "server: { assetDir: " + assets + " }\nmachines:"));
        Path tool = tmp.resolve("flatcar-install");
        Files.writeString(tool, "#!/bin/sh\necho hi\n");
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(tool)));

        CliTest.Run r = CliTest.yoo("assets", "add", tool.toString(), "--as", "tools/flatcar-install", "--sha256", sha, "-d", f.toString());

        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(assets.resolve("tools/flatcar-install")).exists();
        assertThat(tmp.resolve("assets")).doesNotExist();
        Files.writeString(f, "cluster: [");
        CliTest.Run bad = CliTest.yoo("assets", "list", "-d", f.toString());
        assertThat(bad.code()).isEqualTo(Yoo.EXIT_INVALID);
        assertThat(bad.err()).startsWith("yoo assets list: ").doesNotContain("Exception");
    }
}
