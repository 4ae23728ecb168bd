package io.yoo.installer.dhcp.v6.server;

import io.yoo.installer.dhcp.v6.codec.Ipv6;
import io.yoo.installer.dhcp.v6.lease.Lease6;
import io.yoo.installer.dhcp.v6.lease.Lease6Ledger;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The table several servers share, in memory, with the rules of installer-core's JdbcLease6Ledger
 * upsert: a bind takes a free or expired address or its client's, a claim (OFFERED) only a free or
 * expired one; a refused change returns the holder when it is another client. Each server gets its
 * own {@link #view} (its own place in what {@link Lease6Ledger#recent} returned).
 */
final class MemoryLease6Ledger {
    final Map<Ipv6, Lease6> rows = new HashMap<>();
    /** Bound and declined leases in the order they were taken: what recent() reads. */
    private final List<Lease6> history = new ArrayList<>();
    /** Down: every call throws, as a JDBC ledger without its database. */
    volatile boolean down;
    /** Recent() returns nothing: a server learns the others' leases only when a change of its own is refused. */
    volatile boolean quiet;
    int refusals;

    Lease6Ledger view() {
        return new Lease6Ledger() {
            private int seen;

            @Override
            public List<Lease6> load() throws IOException {
                synchronized (MemoryLease6Ledger.this) {
                    check();
                    seen = history.size();
                    return rows.values().stream().filter(l -> l.state() != Lease6.State.OFFERED).toList();
                }
            }

            @Override
            public List<Lease6> commit(List<Change> changes) throws IOException {
                return MemoryLease6Ledger.this.commit(changes);
            }

            @Override
            public List<Lease6> recent() throws IOException {
                synchronized (MemoryLease6Ledger.this) {
                    check();
                    if (quiet) {
                        return List.of();
                    }
                    List<Lease6> out = List.copyOf(history.subList(seen, history.size()));
                    seen = history.size();
                    return out;
                }
            }
        };
    }

    private void check() throws IOException {
        if (down) {
            throw new IOException("ledger down (test)");
        }
    }

    synchronized List<Lease6> commit(List<Lease6Ledger.Change> changes) throws IOException {
        check();
        long now = System.currentTimeMillis() / 1000;
        List<Lease6> refused = new ArrayList<>();
        for (Lease6Ledger.Change c : changes) {
            Lease6 l = c.lease();
            Lease6 cur = rows.get(l.address());
            if (c.released()) {
                if (cur != null && cur.client().equals(l.client())) {
                    rows.remove(l.address());
                }
                continue;
            }
            if (cur == null || cur.client().equals(l.client()) && l.state() != Lease6.State.OFFERED || cur.expires() < now) {
                rows.put(l.address(), l);
                if (l.state() != Lease6.State.OFFERED) {
                    history.add(l);
                }
            } else if (!cur.client().equals(l.client())) {
                refusals++;
                refused.add(cur);
            }
        }
        return refused;
    }

    /** What another server (not under test) bound: straight into the table. */
    synchronized void bind(String client, Ipv6 ip, long expires) throws IOException {
        commit(List.of(new Lease6Ledger.Change(new Lease6(client, "-", ip, expires, Lease6.State.BOUND), false)));
    }

    synchronized List<Lease6> bound() {
        return rows.values().stream().filter(l -> l.state() == Lease6.State.BOUND).toList();
    }
}
