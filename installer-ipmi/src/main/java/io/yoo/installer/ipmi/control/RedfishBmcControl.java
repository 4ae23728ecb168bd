package io.yoo.installer.ipmi.control;

import io.yoo.installer.ipmi.redfish.RedfishClient;
import io.yoo.installer.ipmi.redfish.RedfishConfig;
import io.yoo.installer.ipmi.redfish.RedfishException;
import java.io.IOException;
import java.util.List;

/** {@link BmcControl} over Redfish: the first ComputerSystem's Boot override and Reset action. */
public final class RedfishBmcControl implements BmcControl {
    private final RedfishClient client;
    private final String system;

    private RedfishBmcControl(RedfishClient client, String system) {
        this.client = client;
        this.system = system;
    }

    public static RedfishBmcControl connect(RedfishConfig config) throws IOException {
        RedfishClient c = RedfishClient.connect(config);
        try {
            List<String> systems = c.systemPaths();
            if (systems.isEmpty()) {
                throw new RedfishException(config.base() + ": no ComputerSystem to control", 404);
            }
            return new RedfishBmcControl(c, systems.getFirst());
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    @Override
    public boolean powerOn() throws IOException {
        return "On".equalsIgnoreCase(client.get(system).path("PowerState").asText());
    }

    @Override
    public void power(PowerAction action) throws IOException {
        List<String> allowed = client.allowedResetTypes(system);
        String type = switch (action) {
            case ON -> "On";
            case OFF -> "ForceOff";
            case RESET -> "ForceRestart";
            case CYCLE -> !powerOn() ? "On" : allowed.contains("PowerCycle") ? "PowerCycle" : "ForceRestart";
        };
        client.reset(system, type);
    }

    @Override
    public void bootPxe(boolean persistent, boolean uefi) throws IOException {
        client.setBootOverride(system, "Pxe", persistent, uefi ? "UEFI" : "Legacy");
    }

    @Override
    public void close() {
        client.close();
    }
}
