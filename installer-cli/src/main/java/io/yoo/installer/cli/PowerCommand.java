package io.yoo.installer.cli;

import io.yoo.installer.ipmi.control.BmcControl;
import io.yoo.installer.ipmi.control.PowerAction;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code yoo power NAME on|off|cycle|reset|status} through the machine's BMC (IPMI or Redfish). */
@Command(name = "power", mixinStandardHelpOptions = true, sortOptions = false,
        customSynopsis = "yoo power [FILE | -d FILE | --example NAME | --bmc ADDRESS] MACHINE ACTION [OPTIONS]",
        description = {"Power a machine on, off, cycle or reset it, or print its power state, through its BMC.",
            "  FILE     the descriptor with the machine's bmc: block (default cluster.yml)",
            "  MACHINE  the machine's name in the descriptor (a label only with --bmc)",
            "  ACTION   on, off, cycle, reset or status"})
public final class PowerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    BmcTargetOptions target;

    @Parameters(arity = "2..3", paramLabel = "[FILE] MACHINE ACTION", hidden = true)
    List<String> args;

    String machine;
    String action;

    PrintStream out = System.out;
    PrintStream err = System.err;
    Map<String, String> env = System.getenv();

    /** A ParameterException thrown here is a usage error: picocli prints it with the usage and exits 2 (HelpSections). */
    @Override
    public Integer call() {
        Path file = args.size() == 3 ? Path.of(args.getFirst()) : null;
        machine = args.get(args.size() - 2);
        action = args.getLast();
        PowerAction a = null;
        if (!action.equals("status")) {
            try {
                a = PowerAction.parse(action);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage() + " (or status)");
            }
        }
        BmcLookup.BmcTarget t;
        try {
            t = target.resolve(machine, file, env);
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            err.println("yoo power: " + e.getMessage());
            return Yoo.EXIT_INVALID;
        }
        try (BmcControl c = target.connect(t)) {
            if (a != null) {
                c.power(a);
            }
            out.println(machine + " (" + t + "): power " + (c.powerOn() ? "on" : "off"));
            return Yoo.EXIT_OK;
        } catch (IOException e) {
            err.println("yoo power: " + machine + " (" + t + "): " + e.getMessage());
            return Yoo.EXIT_ENVIRONMENT;
        }
    }
}
