package io.yoo.installer.core.descriptor;

import java.util.AbstractList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.RandomAccess;

/**
 * The descriptor's machines, unmodifiable, in file order, with an index by name: renderers and
 * the HTTP layer look a machine up by name on every request, and a rack of thousands made the
 * linear scan show up in profiles. (A record cannot hold the index itself, its list can.)
 */
final class MachineList extends AbstractList<Machine> implements RandomAccess {
    private final List<Machine> machines;
    private final Map<String, Machine> byName;
    private final boolean anyIpv6Only;

    private MachineList(List<Machine> machines) {
        this.machines = List.copyOf(machines);
        this.byName = new HashMap<>(machines.size() * 2);
        for (Machine m : this.machines) {
            byName.putIfAbsent(m.name(), m); // names are unique in a valid descriptor; first wins otherwise
        }
        this.anyIpv6Only = this.machines.stream().anyMatch(Machine::ipv6Only);
    }

    static MachineList of(List<Machine> machines) {
        return machines instanceof MachineList l ? l : new MachineList(machines);
    }

    Optional<Machine> byName(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** Some machine has no IPv4 address (asked for every node rendered: computed once). */
    boolean anyIpv6Only() {
        return anyIpv6Only;
    }

    @Override
    public Machine get(int index) {
        return machines.get(index);
    }

    @Override
    public int size() {
        return machines.size();
    }
}
