package io.yoo.installer.dhcp.lease;

import io.yoo.installer.api.net.AddressPool;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.dhcp.lease.LeaseIndex.Entry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntPredicate;

/**
 * Dynamic leases, in memory, persisted as an append-only journal ({@code leases.journal} in the
 * lease directory) like Kea's memfile: every bind/release/decline is appended to a buffer, and
 * {@link #flush()} writes the buffer with one {@code write(2)} — the server flushes before it
 * sends the ACKs of a batch, so an acknowledged lease is in the kernel's page cache (it survives
 * kill -9 of the server, not a power cut; no fsync per lease, as Kea). The journal is compacted
 * (live leases rewritten to a new file, fsynced, atomically renamed) at open and whenever it holds
 * four times more lines than live leases.
 *
 * <p>Offers are held in memory only (an offer is a promise for a few seconds, not a lease).
 * Thread-safe: every method is synchronized; calls are short.
 */
public final class LeaseStore implements AutoCloseable {
    public static final String FILE = "leases.journal";

    private static final Lease.State OFFERED = Lease.State.OFFERED;
    private static final Lease.State BOUND = Lease.State.BOUND;
    private static final Lease.State DECLINED = Lease.State.DECLINED;
    private static final String DECLINED_CLIENT = LeaseIndex.DECLINED_CLIENT;

    private final LeaseIndex<Integer> index = new LeaseIndex<>();
    private final Map<Long, Integer> cursors = new HashMap<>();
    /** Null: leases in memory only. */
    private final LeaseJournal journal;
    private long liveBound;
    private Listener listener = Listener.NONE;
    /** Changes for the {@link LeaseLedger} since the last {@link #takeChanges}; null = no ledger. */
    private List<LeaseLedger.Change> ledgerChanges;

    /**
     * Told about every lease that is bound, declined or released (offers are memory-only and not
     * reported), after its journal line is queued. Called with the store's lock held on the packet
     * path: it must not block (queue the change, e.g. into a database mirror).
     */
    public interface Listener {
        Listener NONE = new Listener() {
            @Override
            public void changed(Lease lease) {}

            @Override
            public void released(Ipv4 address) {}
        };

        void changed(Lease lease);

        void released(Ipv4 address);
    }

    /** Sets the listener and tells it every bound or declined lease the store holds now (e.g. replayed from the journal). */
    public synchronized void listen(Listener l) {
        this.listener = l == null ? Listener.NONE : l;
        for (Entry<Integer> e : index.entries()) {
            if (e.state != OFFERED) {
                listener.changed(snapshot(e));
            }
        }
    }

    /** From now on, keeps every bind, decline and release for {@link #takeChanges} (a server with a {@link LeaseLedger}). */
    public synchronized void recordChanges() {
        if (ledgerChanges == null) {
            ledgerChanges = new ArrayList<>();
        }
    }

    /** The changes since the last call, oldest first (empty without {@link #recordChanges}). */
    public synchronized List<LeaseLedger.Change> takeChanges() {
        if (ledgerChanges == null || ledgerChanges.isEmpty()) {
            return List.of();
        }
        List<LeaseLedger.Change> out = List.copyOf(ledgerChanges);
        ledgerChanges.clear();
        return out;
    }

    /**
     * A bound or declined lease the ledger holds (another server's, or this one's before a restart):
     * it replaces whatever this store had on that address, and is journaled, not recorded as a change.
     */
    public synchronized void adopt(Lease l) {
        if (l.state() == Lease.State.OFFERED) {
            return;
        }
        Entry<Integer> old = index.atAddress(l.address().value());
        Lease.State state = l.state() == Lease.State.BOUND ? BOUND : DECLINED;
        if (old != null && old.state == state && old.expires == l.expires()
                && old.client.equals(l.state() == Lease.State.DECLINED ? DECLINED_CLIENT : l.client())) {
            return; // known already (this server's own lease, read back)
        }
        if (old != null && old.state == BOUND) {
            liveBound--;
        }
        Entry<Integer> e = put(l.state() == Lease.State.DECLINED ? DECLINED_CLIENT : l.client(), l.mac(), l.address().value());
        e.expires = l.expires();
        if (l.state() == Lease.State.BOUND) {
            e.state = BOUND;
            liveBound++;
            append("B " + Ipv4String.of(e.ip) + " " + e.expires + " " + e.mac + " " + e.client + "\n");
        } else {
            e.state = DECLINED;
            append("D " + Ipv4String.of(e.ip) + " " + e.expires + "\n");
        }
        listener.changed(snapshot(e));
    }

    private void record(Lease lease, boolean released) {
        if (ledgerChanges != null) {
            ledgerChanges.add(new LeaseLedger.Change(lease, released));
        }
    }

    private LeaseStore(LeaseJournal journal) {
        this.journal = journal;
    }

    /** Leases kept in memory only (tests, proxy mode). */
    public static LeaseStore inMemory() {
        return new LeaseStore(null);
    }

    /** Opens (creating) the journal in {@code dir}, replays it and compacts it. */
    public static LeaseStore open(Path dir, long nowEpochSeconds) throws IOException {
        LeaseStore s = new LeaseStore(new LeaseJournal(dir, FILE));
        s.journal.replay(s::replayLine);
        s.compact(nowEpochSeconds);
        return s;
    }

    private void replayLine(String[] f) {
        switch (f[0]) {
            case "B" -> {
                Entry<Integer> e = put(f[4], f[3], Ipv4.parse(f[1]).value());
                e.expires = Long.parseLong(f[2]);
                e.state = BOUND;
            }
            case "R" -> remove(Ipv4.parse(f[1]).value(), f[2]);
            case "D" -> {
                Entry<Integer> e = put(DECLINED_CLIENT, "-", Ipv4.parse(f[1]).value());
                e.expires = Long.parseLong(f[2]);
                e.state = DECLINED;
            }
            default -> throw new IllegalArgumentException("unknown journal line kind " + f[0]);
        }
    }

    private Entry<Integer> put(String client, String mac, int ip) {
        return index.put(client, mac, ip);
    }

    private void remove(int ip, String client) {
        index.remove(ip, client);
    }

    /** The client's current lease or offer, if any (expired ones included: a client gets its old address back). */
    public synchronized Optional<Lease> byClient(String client) {
        return Optional.ofNullable(snapshot(index.ofClient(client)));
    }

    public synchronized Optional<Lease> byAddress(Ipv4 ip) {
        return Optional.ofNullable(snapshot(index.atAddress(ip.value())));
    }

    private static Lease snapshot(Entry<Integer> e) {
        if (e == null) {
            return null;
        }
        return new Lease(e.client, e.mac, new Ipv4(e.ip), e.expires, e.state);
    }

    /** The address currently held (offered or bound, expired or not) by {@code client}; 0 if none. */
    public synchronized int addressOf(String client) {
        Entry<Integer> e = index.ofClient(client);
        return e == null ? 0 : e.ip;
    }

    /** True when {@code client} may take {@code ip} now: nobody else holds it unexpired. */
    public synchronized boolean availableTo(int ip, String client, long now) {
        return index.availableTo(ip, client, now);
    }

    /**
     * Picks an address from {@code pool} for {@code client}: its previous one, else the requested
     * one, else the next free one after the pool's cursor. {@code excluded} (reservations, the
     * server's own address) is never handed out. Returns 0 when the pool is exhausted.
     */
    public synchronized int allocate(AddressPool pool, String client, int requested, long now, IntPredicate excluded) {
        return allocate(pool, client, requested, now, excluded, ip -> true);
    }

    /**
     * As {@link #allocate(AddressPool, String, int, long, IntPredicate)}, but a free address is
     * looked for first among the {@code preferred} ones (this server's part of the pool while it
     * shares the clients with other servers), then among all.
     */
    public synchronized int allocate(AddressPool pool, String client, int requested, long now, IntPredicate excluded,
            IntPredicate preferred) {
        Entry<Integer> mine = index.ofClient(client);
        if (mine != null && mine.state != DECLINED && pool.contains(new Ipv4(mine.ip)) && !excluded.test(mine.ip)) {
            return mine.ip;
        }
        if (requested != 0 && pool.contains(new Ipv4(requested)) && !excluded.test(requested)
                && availableTo(requested, client, now)) {
            return requested;
        }
        int ip = scan(pool, now, a -> !excluded.test(a) && preferred.test(a));
        return ip != 0 ? ip : scan(pool, now, a -> !excluded.test(a));
    }

    /** The next free address after the pool's cursor that {@code allowed} takes; 0 if none. */
    private int scan(AddressPool pool, long now, IntPredicate allowed) {
        long start = pool.start().unsigned();
        long size = pool.size();
        Long key = start;
        int cursor = cursors.getOrDefault(key, 0);
        for (long k = 0; k < size; k++) {
            int off = (int) ((cursor + k) % size);
            int ip = (int) (start + off);
            if (!allowed.test(ip)) {
                continue;
            }
            Entry<Integer> e = index.atAddress(ip);
            if (e == null || e.expires < now) {
                cursors.put(key, (int) ((off + 1) % size));
                return ip;
            }
        }
        return 0;
    }

    /** Holds {@code ip} for {@code client} until {@code until} (memory only). */
    public synchronized void offer(String client, String mac, int ip, long until) {
        Entry<Integer> e = put(client, mac, ip);
        if (e.state != BOUND || e.expires < until) {
            e.expires = until;
        }
        if (e.state != BOUND) {
            e.state = OFFERED;
        }
    }

    /** Binds a lease and queues its journal line; it is on disk after the next {@link #flush()}. */
    public synchronized void bind(String client, String mac, int ip, long expires) {
        Entry<Integer> e = put(client, mac, ip);
        if (e.state != BOUND) {
            liveBound++;
        }
        e.state = BOUND;
        e.expires = expires;
        append("B " + Ipv4String.of(ip) + " " + expires + " " + mac + " " + client + "\n");
        Lease bound = snapshot(e);
        record(bound, false);
        listener.changed(bound);
    }

    /** RELEASE: forget the lease if {@code client} holds {@code ip}. */
    public synchronized boolean release(String client, int ip) {
        Entry<Integer> e = index.atAddress(ip);
        if (e == null || !e.client.equals(client)) {
            return false;
        }
        if (e.state == BOUND) {
            liveBound--;
            record(snapshot(e), true); // an offer never reached the ledger: nothing to give back there
        }
        remove(ip, client);
        append("R " + Ipv4String.of(ip) + " " + client + "\n");
        listener.released(new Ipv4(ip));
        return true;
    }

    /** DECLINE: the client found {@code ip} in use by someone else; keep it out of the pool until {@code until}. */
    public synchronized void decline(int ip, long until) {
        Entry<Integer> old = index.atAddress(ip);
        if (old != null && old.state == BOUND) {
            liveBound--;
        }
        Entry<Integer> e = put(DECLINED_CLIENT, "-", ip);
        e.state = DECLINED;
        e.expires = until;
        append("D " + Ipv4String.of(ip) + " " + until + "\n");
        Lease declined = snapshot(e);
        record(declined, false);
        listener.changed(declined);
    }

    /** Forgets whatever dynamic lease holds {@code ip} (it became a reservation). */
    public synchronized void revoke(int ip) {
        Entry<Integer> e = index.atAddress(ip);
        if (e != null) {
            release(e.client, ip);
        }
    }

    private void append(String line) {
        if (journal != null) {
            journal.append(line);
        }
    }

    /**
     * Writes queued journal lines (one system call for a whole batch). Call before sending the
     * ACKs that depend on them. Compacts when the journal has grown well past the live leases.
     */
    public synchronized void flush(long now) throws IOException {
        if (journal == null) {
            return;
        }
        journal.flush();
        if (journal.lines() > 10_000 && journal.lines() > 4 * Math.max(liveBound, 1)) {
            compact(now);
        }
    }

    /** Rewrites the journal with only live leases: tmp file, fsync, atomic rename, fsync dir. */
    public synchronized void compact(long now) throws IOException {
        if (journal == null) {
            return;
        }
        long lines = 0;
        long bound = 0;
        List<Integer> expired = new ArrayList<>();
        StringBuilder sb = new StringBuilder(index.size() * 64 + 16);
        for (Entry<Integer> e : index.entries()) {
            if (e.expires < now && e.state != OFFERED) {
                expired.add(e.ip);
                continue;
            }
            if (e.state == BOUND) {
                sb.append("B ").append(Ipv4String.of(e.ip)).append(' ').append(e.expires).append(' ').append(e.mac)
                        .append(' ').append(e.client).append('\n');
                lines++;
                bound++;
            } else if (e.state == DECLINED) {
                sb.append("D ").append(Ipv4String.of(e.ip)).append(' ').append(e.expires).append('\n');
                lines++;
            }
        }
        for (int ip : expired) {
            index.forget(index.atAddress(ip));
        }
        journal.rewrite(sb, lines);
        liveBound = bound;
    }

    public synchronized int boundCount() {
        return index.count(BOUND);
    }

    /** All leases and offers, for the UI and tests. */
    public synchronized List<Lease> all() {
        List<Lease> out = new ArrayList<>(index.size());
        for (Entry<Integer> e : index.entries()) {
            out.add(snapshot(e));
        }
        return out;
    }

    @Override
    public synchronized void close() {
        if (journal != null) {
            journal.close();
        }
    }

    /** Dotted quad without allocating an Ipv4. */
    static final class Ipv4String {
        static String of(int a) {
            return ((a >>> 24) & 0xFF) + "." + ((a >>> 16) & 0xFF) + "." + ((a >>> 8) & 0xFF) + "." + (a & 0xFF);
        }
    }
}
