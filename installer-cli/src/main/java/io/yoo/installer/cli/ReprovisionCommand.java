package io.yoo.installer.cli;

import io.yoo.installer.ipmi.control.BmcControl;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code yoo reprovision NAME}: network boot once, then power cycle (or on), so the machine reinstalls. */
@Command(name = "reprovision", mixinStandardHelpOptions = true, sortOptions = false,
        customSynopsis = "yoo reprovision [FILE | -d FILE | --example NAME | --bmc ADDRESS] MACHINE [OPTIONS]",
        description = {"Make a machine PXE-boot once and power-cycle it (power it on if off): it reinstalls at its next boot.",
            "  FILE     the descriptor with the machine's bmc: block (default cluster.yml)",
            "  MACHINE  the machine's name in the descriptor (a label only with --bmc)"})
public final class ReprovisionCommand implements Callable<Integer> {
    @Mixin
    BmcTargetOptions target;

    @Parameters(arity = "1..2", paramLabel = "[FILE] MACHINE", hidden = true)
    List<String> args;

    String machine;

    @Option(names = "--legacy", description = "Ask for a legacy BIOS PXE boot (default: UEFI).")
    boolean legacy;

    PrintStream out = System.out;
    PrintStream err = System.err;
    Map<String, String> env = System.getenv();

    /** A ParameterException thrown here is a usage error: picocli prints it with the usage and exits 2 (HelpSections). */
    @Override
    public Integer call() {
        Path file = args.size() == 2 ? Path.of(args.getFirst()) : null;
        machine = args.getLast();
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
