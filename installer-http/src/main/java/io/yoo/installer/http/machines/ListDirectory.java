package io.yoo.installer.http.machines;

import io.yoo.installer.core.descriptor.Machine;
import io.yoo.installer.core.match.MachineMatcher;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.MacAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Immutable directory over a list of descriptor machines. */
final class ListDirectory implements MachineDirectory {
    private final List<Machine> machines;
    private final Map<String, Machine> byName = new LinkedHashMap<>();
    private final MachineMatcher matcher;
    private final boolean reserved;

    ListDirectory(List<Machine> machines, boolean reserved) {
        this.machines = List.copyOf(machines);
        this.machines.forEach(m -> byName.put(m.name(), m));
        this.matcher = new MachineMatcher(this.machines);
        this.reserved = reserved;
    }

    @Override
    public List<Machine> machines() {
        return machines;
    }

    @Override
    public Optional<Machine> byName(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    @Override
    public Optional<Machine> byMac(MacAddress mac) {
        return matcher.match(mac, Optional.empty());
    }

    @Override
    public Optional<Ipv4> reservedAddress(Machine machine) {
        return reserved ? Optional.of(machine.ip()) : Optional.empty();
    }
}
