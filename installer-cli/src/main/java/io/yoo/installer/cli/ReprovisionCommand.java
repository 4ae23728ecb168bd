package io.yoo.installer.cli;

import io.yoo.installer.ipmi.control.BmcControl;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;

/** {@code yoo reprovision NAME}: network boot once, then power cycle (or on), so the machine reinstalls. */
@Command(name = "reprovision", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Make a machine PXE-boot once and power-cycle it (power it on if off): it reinstalls at its next boot.",
        footer = {"", "Example:", "  YOO_BMC_PASSWORD=secret yoo reprovision core-1-5 --bmc 10.11.202.5 --legacy"})
public final class ReprovisionCommand implements Callable<Integer> {
    @Mixin
    BmcTargetOptions target;

    @Parameters(index = "0", paramLabel = "NAME", description = "Machine name in the descriptor (a label only when --bmc is given).")
    String machine;

    @Option(names = "--legacy", description = "Ask for a legacy BIOS PXE boot (default: UEFI).")
    boolean legacy;

    PrintStream out = System.out;
    PrintStream err = System.err;
    Map<String, String> env = System.getenv();

    @Override
    public Integer call() throws Exception {
        try {
            return run();
        } catch (ParameterException e) {
            // picocli maps exceptions thrown from call() to "internal error"; a bad option value is a usage error
            err.println("yoo reprovision: " + e.getMessage() + " (see yoo reprovision --help)");
            return Yoo.EXIT_USAGE;
        }
    }

    private Integer run() {
        BmcLookup.BmcTarget t;
        try {
            t = target.resolve(machine, env);
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
