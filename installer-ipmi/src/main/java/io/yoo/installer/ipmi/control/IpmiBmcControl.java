package io.yoo.installer.ipmi.control;

import io.yoo.installer.ipmi.command.BootOptions;
import io.yoo.installer.ipmi.command.ChassisControl;
import io.yoo.installer.ipmi.command.IpmiCommandException;
import io.yoo.installer.ipmi.session.IpmiClient;
import io.yoo.installer.ipmi.session.IpmiClientConfig;
import java.io.IOException;

/** {@link BmcControl} over IPMI: Chassis Control and Set System Boot Options. */
public final class IpmiBmcControl implements BmcControl {
    private final IpmiClient client;

    private IpmiBmcControl(IpmiClient client) {
        this.client = client;
    }

    public static IpmiBmcControl connect(IpmiClientConfig config) throws IOException {
        return new IpmiBmcControl(IpmiClient.connect(config));
    }

    @Override
    public boolean powerOn() throws IOException {
        try {
            return client.chassisStatus().powerOn();
        } catch (IpmiCommandException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public void power(PowerAction action) throws IOException {
        ChassisControl c = switch (action) {
            case ON -> ChassisControl.POWER_ON;
            case OFF -> ChassisControl.POWER_OFF;
            case RESET -> ChassisControl.HARD_RESET;
            // IPMI says a cycle of a powered-off chassis may be refused: power it on instead
            case CYCLE -> powerOn() ? ChassisControl.POWER_CYCLE : ChassisControl.POWER_ON;
        };
        try {
            client.chassisControl(c);
        } catch (IpmiCommandException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public void bootPxe(boolean persistent, boolean uefi) throws IOException {
        try {
            client.setBootOptions(new BootOptions(BootOptions.BootDevice.PXE, persistent, uefi));
        } catch (IpmiCommandException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
