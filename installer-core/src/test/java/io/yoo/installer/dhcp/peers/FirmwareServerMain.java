package io.yoo.installer.dhcp.peers;

import io.yoo.installer.core.boot.BootFileSelector;
import io.yoo.installer.core.boot.BootFiles;
import io.yoo.installer.core.boot.BootUrls;
import io.yoo.installer.core.boot.MachineTokens;
import io.yoo.installer.core.state.MachineState;
import java.util.Optional;

/**
 * installer-dhcp's {@link TestServerMain} with installer-core's boot file selection behind
 * {@code --http-base} (a stranger allowed to boot): what {@link FirmwareBootTest} runs in its
 * namespace. installer-dhcp alone has no boot file selection, so this wiring lives here.
 */
public final class FirmwareServerMain {
    private FirmwareServerMain() {}

    public static void main(String[] args) throws Exception {
        TestServerMain.run(args, base -> {
            BootFileSelector selector = new BootFileSelector(new BootUrls(base), new MachineTokens(new byte[32]),
                    BootFiles.DEFAULT.withAllowUnknown(true));
            return (req, tftpServer) -> selector.select(req, Optional.empty(), MachineState.UNKNOWN, tftpServer);
        });
    }
}
