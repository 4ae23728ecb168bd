package io.yoo.installer.core.state;

/** Where a machine is in its provisioning: {@code unknown → dhcp → booting → installing → installed → rebooting → running | failed}. */
public enum MachineState {
    UNKNOWN, DHCP, BOOTING, INSTALLING, INSTALLED, REBOOTING, RUNNING, FAILED;

    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Installed machines boot from disk until someone asks to reprovision. */
    public boolean bootsFromDisk() {
        return this == INSTALLED || this == REBOOTING || this == RUNNING;
    }
}
