package io.yoo.installer.core.state;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Where a machine is in its provisioning: {@code unknown → dhcp → booting → installing → installed → rebooting → running | failed}. */
public enum MachineState {
    UNKNOWN, DHCP, BOOTING, INSTALLING, INSTALLED, REBOOTING, RUNNING, FAILED;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Done: the install finished (the machine may still be rebooting into its system). Progress
     * counts these; the one definition for the summary, {@code yoo status} and the web UI (which
     * gets the list from the server).
     */
    public boolean isDone() {
        return this == INSTALLED || this == REBOOTING || this == RUNNING;
    }

    /** The {@link #isDone() done} states' keys, in enum order. */
    public static List<String> doneKeys() {
        return Arrays.stream(values()).filter(MachineState::isDone).map(MachineState::key).toList();
    }

    /** Installed machines boot from disk until someone asks to reprovision. */
    public boolean bootsFromDisk() {
        return isDone();
    }
}
