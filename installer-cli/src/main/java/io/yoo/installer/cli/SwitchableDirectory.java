package io.yoo.installer.cli;

import io.yoo.installer.core.descriptor.Machine;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.http.machines.MachineDirectory;
import java.util.List;
import java.util.Optional;

/** The HTTP server's machine directory, replaced when `yoo serve` reloads its descriptor. */
final class SwitchableDirectory implements MachineDirectory {
    private volatile MachineDirectory current;

    SwitchableDirectory(MachineDirectory initial) {
        this.current = initial;
    }

    void switchTo(MachineDirectory next) {
        this.current = next;
    }

    @Override
    public List<Machine> machines() {
        return current.machines();
    }

    @Override
    public Optional<Machine> byName(String name) {
        return current.byName(name);
    }

    @Override
    public Optional<Machine> byMac(MacAddress mac) {
        return current.byMac(mac);
    }

    @Override
    public Optional<Ipv4> reservedAddress(Machine machine) {
        return current.reservedAddress(machine);
    }
}
