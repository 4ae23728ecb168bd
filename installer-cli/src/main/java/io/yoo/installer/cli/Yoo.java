package io.yoo.installer.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code yoo} command. Only wiring lives in this module: each subcommand parses its options,
 * builds library objects from installer-core and the protocol modules, and starts them through
 * their common lifecycle.
 *
 * <p>Exit codes: 0 success; 1 the input is invalid (e.g. descriptor errors); 2 usage error (bad
 * option); 3 an environment problem (port in use, missing permission, unreachable peer);
 * 4 an internal error.
 *
 * <p>Conventions every subcommand follows: a port flag is named after its protocol
 * ({@code --tftp-port}, {@code --http-port}, {@code --dhcp-port}, {@code --ipmi-port},
 * {@code --redfish-port}; the old {@code --port} of {@code tftp} and {@code dhcp} stays accepted);
 * {@code --json} prints machine-readable JSON on stdout and nothing else there; commands that
 * read a descriptor take {@code FILE} or {@code --example NAME}.
 */
@Command(
        name = "yoo",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Yoo Installer: PXE-boot bare-metal machines into a Flatcar + Kubernetes cluster.",
        subcommands = {
            AutoComplete.GenerateCompletion.class,
            CommandLine.HelpCommand.class,
            ValidateCommand.class,
            RenderCommand.class,
            InitCommand.class,
            AssetsCommand.class,
            IpmiScanCommand.class, PowerCommand.class, ReprovisionCommand.class, ChangeIpCommand.class,
            DhcpCommand.class, DhcpProbeCommand.class, Dhcp6Command.class,
            WatchCommand.class,
            TftpCommand.class,
            HttpCommand.class,
            ServeCommand.class,
            StatusCommand.class,
            LogsCommand.class,
            TokenCommand.class,
            DiscoveredCommand.class, EnrollCommand.class,
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:invalid input (descriptor errors are listed as file:line:column)",
            "2:usage error",
            "3:environment problem (permission, port in use, peer unreachable)",
            "4:internal error"
        })
public final class Yoo {
    public static final int EXIT_OK = 0;
    public static final int EXIT_INVALID = 1;
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_ENVIRONMENT = 3;
    public static final int EXIT_INTERNAL = 4;

    public static void main(String[] args) {
        CommandLine cl = commandLine();
        // One writer pair for every subcommand (setOut/setErr propagate), flushed before exit:
        // picocli's own writers flush only on println, so a command ending with print() (assets
        // list) lost its whole output to System.exit.
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, System.out.charset()), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, System.err.charset()), true);
        cl.setOut(out);
        cl.setErr(err);
        int code;
        try {
            code = cl.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
        System.exit(code);
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Yoo());
        // a ParameterException is a usage error wherever it is thrown (parsing or a command's own checks)
        cl.setExitCodeExceptionMapper(t -> t instanceof CommandLine.ParameterException ? EXIT_USAGE
                : t instanceof InvalidInput ? EXIT_INVALID : EXIT_INTERNAL);
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            if (ex instanceof InvalidInput) {
                c.getErr().println(c.getCommandSpec().qualifiedName() + ": " + ex.getMessage());
                return EXIT_INVALID;
            }
            throw ex;
        });
        cl.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(false);
        HelpSections.install(cl); // Examples and Exit codes on every --help; message + usage on a usage error
        return cl;
    }
}
