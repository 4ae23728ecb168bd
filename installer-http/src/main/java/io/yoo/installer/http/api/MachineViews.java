package io.yoo.installer.http.api;

import io.yoo.installer.core.descriptor.Machine;
import io.yoo.installer.core.state.MachineRecord;
import io.yoo.installer.core.state.MachineState;
import io.yoo.installer.core.state.ForeignDhcpServers;
import io.yoo.installer.core.state.StateStore;
import io.yoo.installer.core.match.MachineDirectory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * JSON shapes of the REST API and the SSE stream: a descriptor machine joined with its stored
 * state, and the summary (events: {@link io.yoo.installer.http.api.events.EventJson}). Plain maps keep the wire format explicit (it is what openapi.json documents).
 */
public final class MachineViews {
    private final MachineDirectory machines;
    private final StateStore store;

    private final ForeignDhcpServers foreignDhcp;

    public MachineViews(MachineDirectory machines, StateStore store) {
        this(machines, store, new ForeignDhcpServers());
    }

    public MachineViews(MachineDirectory machines, StateStore store, ForeignDhcpServers foreignDhcp) {
        this.foreignDhcp = foreignDhcp;
        this.machines = machines;
        this.store = store;
    }

    /** Descriptor machines first (in descriptor order), then machines only the store knows. */
    public List<Map<String, Object>> all() {
        Map<String, MachineRecord> records = new TreeMap<>();
        store.machines().forEach(r -> records.put(r.name(), r));
        List<Map<String, Object>> out = new ArrayList<>();
        for (Machine m : machines.machines()) {
            out.add(view(Optional.of(m), Optional.ofNullable(records.remove(m.name())), m.name()));
        }
        records.values().forEach(r -> out.add(view(Optional.empty(), Optional.of(r), r.name())));
        return out;
    }

    public Optional<Map<String, Object>> one(String name) {
        Optional<Machine> m = machines.byName(name);
        Optional<MachineRecord> r = store.machine(name);
        if (m.isEmpty() && r.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(view(m, r, name));
    }

    public Map<String, Object> view(String name, MachineRecord r) {
        return view(machines.byName(name), Optional.of(r), name);
    }

    private Map<String, Object> view(Optional<Machine> m, Optional<MachineRecord> r, String name) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("name", name);
        v.put("inDescriptor", m.isPresent());
        v.put("macs", m.map(x -> x.macs().stream().map(Object::toString).toList()).orElse(List.of()));
        // an IPv6-only machine has no descriptor ip: its last address seen, if any, else null (its ipv6 below)
        v.put("ip", m.flatMap(Machine::ipv4).map(Object::toString).or(() -> r.flatMap(MachineRecord::lastIp)).orElse(null));
        v.put("ipv6", m.flatMap(machines::ipv6).orElse(null));
        v.put("role", m.map(x -> x.role().key()).orElse(null));
        v.put("labels", m.map(x -> (Object) new TreeMap<>(x.labels())).orElse(Map.of()));
        v.put("state", r.map(x -> x.state()).orElse(MachineState.UNKNOWN).key());
        v.put("phase", r.flatMap(MachineRecord::phase).orElse(null));
        v.put("phaseStatus", r.flatMap(MachineRecord::phaseStatus).map(s -> s.key()).orElse(null));
        v.put("message", r.flatMap(MachineRecord::message).orElse(null));
        v.put("generation", r.map(MachineRecord::generation).orElse(0));
        v.put("stateSince", r.map(x -> time(x.stateSince())).orElse(null));
        v.put("updatedAt", r.map(x -> time(x.updatedAt())).orElse(null));
        v.put("attemptStartedAt", r.flatMap(MachineRecord::attemptStartedAt).map(MachineViews::time).orElse(null));
        v.put("installedAt", r.flatMap(MachineRecord::installedAt).map(MachineViews::time).orElse(null));
        v.put("lastMac", r.flatMap(MachineRecord::lastMac).orElse(null));
        v.put("lastIp", r.flatMap(MachineRecord::lastIp).orElse(null));
        v.put("lastIpv6", r.flatMap(MachineRecord::lastIpv6).orElse(null)); // where it last talked IPv6 from
        return v;
    }

    /**
     * Machines per state key, every state present, as {@link #all()} lists them (descriptor machines
     * nothing is known about count as unknown): the summary's {@code byState} and {@code yoo_machines}.
     */
    public Map<String, Long> countByState() {
        return countByState(all());
    }

    private static Map<String, Long> countByState(List<Map<String, Object>> all) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (MachineState s : MachineState.values()) {
            counts.put(s.key(), 0L);
        }
        all.forEach(v -> counts.merge((String) v.get("state"), 1L, Long::sum));
        return counts;
    }

    /** Counts per state over every machine (descriptor machines nothing is known about count as unknown). */
    public Map<String, Object> summary() {
        List<Map<String, Object>> all = all();
        Map<String, Long> counts = countByState(all);
        long done = MachineState.doneKeys().stream().mapToLong(counts::get).sum();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("total", all.size());
        s.put("byState", counts);
        s.put("done", done);
        s.put("doneStates", MachineState.doneKeys());
        s.put("failed", counts.get("failed"));
        s.put("progress", all.isEmpty() ? 0.0 : (double) done / all.size());
        s.put("at", time(Instant.now()));
        ForeignDhcpServers.Seen seen = foreignDhcp.current();
        s.put("foreignDhcpServers", seen.servers().stream().map(f -> {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("server", f.address());
            v.put("description", f.description());
            v.put("lastSeen", time(f.lastSeen()));
            return v;
        }).toList());
        s.put("foreignDhcpServersUntracked", seen.untracked());
        return s;
    }

    private static String time(Instant i) {
        return i.toString(); // RFC 3339, UTC
    }
}
