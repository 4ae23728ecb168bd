package io.yoo.installer.core.match;

import io.yoo.installer.api.boot.Sighting;
import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.descriptor.DhcpMode;
import io.yoo.installer.core.descriptor.Machine;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.api.net.SmbiosUuid;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every way a descriptor's machine is found, in one place: by name, by MAC (the descriptor's, then
 * the ones {@link LearnedMacs learned} from machines that booted by UUID), by SMBIOS UUID (both
 * readings, see {@link MachineMatcher}) and by descriptor address. The DHCP decision, the TFTP
 * and HTTP sightings and the HTTP server all look machines up here, so they agree on who a client
 * is. Immutable apart from the shared {@link LearnedMacs} (which survives reloads); thread-safe.
 */
public final class MachineIndex implements MachineDirectory {
    private final List<Machine> machines;
    private final Map<String, Machine> byName = new LinkedHashMap<>();
    private final Map<Ipv4, Machine> byIp = new HashMap<>();
    private final MachineMatcher matcher;
    private final LearnedMacs learned;
    private final boolean reserved;

    private MachineIndex(List<Machine> machines, boolean reserved, LearnedMacs learned) {
        this.machines = List.copyOf(machines);
        this.machines.forEach(m -> {
            byName.put(m.name(), m);
            m.ipv4().ifPresent(ip -> byIp.put(ip, m));
        });
        this.matcher = new MachineMatcher(this.machines);
        this.learned = learned;
        this.reserved = reserved;
    }

    /**
     * A descriptor's machines; their addresses are reserved when Yoo's DHCP hands them out
     * ({@code dhcp: full}).
     *
     * @param learned the MACs learned so far, shared with the index of the next reload
     */
    public static MachineIndex of(ClusterDescriptor descriptor, LearnedMacs learned) {
        return new MachineIndex(descriptor.machines(), descriptor.network().dhcpMode() == DhcpMode.FULL, learned);
    }

    /** A list of machines with nothing learned (a bare HTTP server, tests). */
    public static MachineIndex of(List<Machine> machines, boolean reserved) {
        return new MachineIndex(machines, reserved, new LearnedMacs());
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
        return matcher.match(mac, Optional.empty()).or(() -> learned.machineOf(mac).flatMap(this::byName));
    }

    /** The machine whose descriptor UUID is {@code uuid} in either byte order. */
    public Optional<Machine> byUuid(SmbiosUuid uuid) {
        return matcher.match(null, Optional.of(uuid));
    }

    /** The machine whose descriptor address is {@code ip}. */
    public Optional<Machine> byIp(Ipv4 ip) {
        return Optional.ofNullable(byIp.get(ip));
    }

    /**
     * Who a booting client is: its MAC as listed, else its UUID, else a MAC learned earlier. A
     * match by UUID teaches the index the client's MAC, so the live system's DHCP client (which
     * sends no UUID) is still recognised.
     */
    public Optional<Machine> match(MacAddress mac, Optional<SmbiosUuid> uuid) {
        Optional<Machine> m = matcher.match(mac, uuid);
        if (m.isPresent() && mac != null && !m.get().macs().contains(mac)) {
            learned.learn(mac, m.get().name()); // matched by UUID: remember its NIC
        } else if (m.isEmpty() && mac != null) {
            m = learned.machineOf(mac).flatMap(this::byName);
        }
        return m;
    }

    /** Remembers that {@code mac} belongs to machine {@code name} (e.g. from the state store at start). */
    public void learn(MacAddress mac, String name) {
        learned.learn(mac, name);
    }

    /**
     * Names the machine behind a sighting that came without one: TFTP only knows the client's
     * address, so a download of {@code undionly.kpxe} from 10.12.1.7 is matched to the machine
     * reserved at 10.12.1.7, or to its MAC when the sighting has one (the MAC wins: a stale lease,
     * a move). A sighting that already names its machine, or that matches none, is returned as is.
     */
    public Sighting resolve(Sighting s) {
        if (s.machine().isPresent()) {
            return s;
        }
        Optional<String> name = s.mac().flatMap(this::byMac).map(Machine::name);
        if (name.isEmpty()) {
            name = s.ip().flatMap(this::byIp).map(Machine::name);
        }
        return name.map(s::withMachine).orElse(s);
    }

    @Override
    public Optional<Ipv4> reservedAddress(Machine machine) {
        return reserved ? machine.ipv4() : Optional.empty();
    }
}
