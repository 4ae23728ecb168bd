package io.yoo.installer.core.state;

/**
 * Read access to each machine's provisioning state, for the boot policy: an installed machine
 * is told to boot from disk until someone asks to reprovision it.
 */
@FunctionalInterface
public interface MachineStateView {
    MachineState stateOf(String machine);

    MachineStateView NOTHING_KNOWN = machine -> MachineState.UNKNOWN;
}
