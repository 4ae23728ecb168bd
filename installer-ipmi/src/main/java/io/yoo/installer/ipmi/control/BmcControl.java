package io.yoo.installer.ipmi.control;

import java.io.IOException;

/**
 * Power and boot-device control of one machine through its BMC, the same over IPMI and Redfish.
 * One instance holds one login; close it to log out.
 */
public interface BmcControl extends AutoCloseable {

    /** True if the machine is powered on. */
    boolean powerOn() throws IOException;

    /** Applies {@code action}; CYCLE on a machine that is off powers it on. */
    void power(PowerAction action) throws IOException;

    /** Boot from the network: next boot only, or every boot; UEFI or legacy BIOS. */
    void bootPxe(boolean persistent, boolean uefi) throws IOException;

    /** PXE once, then cycle (or power on if off): the machine reinstalls itself at its next boot. */
    default void reprovision(boolean uefi) throws IOException {
        bootPxe(false, uefi);
        power(powerOn() ? PowerAction.CYCLE : PowerAction.ON);
    }

    @Override
    void close();
}
