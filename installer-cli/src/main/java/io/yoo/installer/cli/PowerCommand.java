package io.yoo.installer.cli;

import io.yoo.installer.ipmi.control.BmcControl;
import io.yoo.installer.ipmi.control.PowerAction;
import java.io.IOException;
import java.io.PrintStream;
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
        description = "Power a machine on, off, cycle or reset it, or print its power state, through its BMC.",
        footer = {"", "Example:", "  YOO_BMC_PASSWORD=secret yoo power core-1-5 cycle --bmc 10.11.202.5"})
public final class PowerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    BmcTargetOptions target;

    @Parameters(index = "0", paramLabel = "NAME", description = "Machine name in the descriptor (a label only when --bmc is given).")
    String machine;

    @Parameters(index = "1", paramLabel = "ACTION", description = "on, off, cycle, reset or status.")
    String action;

    PrintStream out = System.out;
    PrintStream err = System.err;
    Map<String, String> env = System.getenv();

    @Override
    public Integer call() throws Exception {
        try {
            return run();
        } catch (ParameterException e) {
            // picocli maps exceptions thrown from call() to "internal error"; a bad option value is a usage error
            err.println("yoo power: " + e.getMessage() + " (see yoo power --help)");
            return Yoo.EXIT_USAGE;
        }
    }

    private Integer run() {
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
            t = target.resolve(machine, env);
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
