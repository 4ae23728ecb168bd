package io.yoo.installer.dhcp.v6.lease;

import io.yoo.installer.dhcp.lease.Lease;
import io.yoo.installer.dhcp.lease.LeaseIndex;
import io.yoo.installer.dhcp.lease.LeaseIndex.Entry;
import io.yoo.installer.dhcp.lease.LeaseJournal;
import io.yoo.installer.dhcp.v6.codec.Ipv6;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * DHCPv6 leases in memory, persisted like the DHCPv4 {@code LeaseStore}: an append-only journal
 * {@code leases6.journal} ({@code B addr expires mac client}, {@code R addr client},
 * {@code D addr until}) written by {@link #flush} with one {@code write(2)} before the replies
 * that depend on it leave (survives kill -9 of the server, not a power cut; no fsync per lease,
 * like Kea's memfile), compacted (tmp file, fsync, atomic rename) at open and when it holds four
 * times more lines than live leases. Offers (ADVERTISE) are memory-only. Thread-safe.
 *
 * <p>The file is a {@link LeaseJournal} and the table a {@link LeaseIndex}, as the v4 store's.
 * What stays its own is allocation: keys are IA identities and 128-bit addresses, and a v6 range is far too big to scan, so allocation probes at most as many addresses as are
 * held (one of them is then free).
 */
public final class Lease6Store implements AutoCloseable {
    public static final String FILE = "leases6.journal";
    private static final String DECLINED_CLIENT = LeaseIndex.DECLINED_CLIENT;

    private final LeaseIndex<Ipv6> index = new LeaseIndex<>();
    private final Map<Ipv6, Long> cursors = new HashMap<>();
    /** Null: leases in memory only. */
    private final LeaseJournal journal;
    /** Journal size at which {@link #flush} next counts the live leases (counting is O(leases)). */
    private long nextCompactionCheck = 10_000;
    /** Null: not recording (no {@link Lease6Ledger}). */
    private List<Lease6Ledger.Change> ledgerChanges;

    private Lease6Store(LeaseJournal journal) {
        this.journal = journal;
    }

    public static Lease6Store inMemory() {
        return new Lease6Store(null);
    }

    /** Opens (creating) the journal in {@code dir}, replays it and compacts it. */
    public static Lease6Store open(Path dir, long now) throws IOException {
        Lease6Store s = new Lease6Store(new LeaseJournal(dir, FILE));
        s.journal.replay(s::replayLine);
        s.compact(now);
        return s;
    }

    /** From now on, keeps every bind, offer, decline and release for {@link #takeChanges} (a server with a {@link Lease6Ledger}). */
    public synchronized void recordChanges() {
        if (ledgerChanges == null) {
            ledgerChanges = new ArrayList<>();
        }
    }

    /** The changes since the last call, oldest first (empty without {@link #recordChanges}). */
    public synchronized List<Lease6Ledger.Change> takeChanges() {
        if (ledgerChanges == null || ledgerChanges.isEmpty()) {
            return List.of();
        }
        List<Lease6Ledger.Change> out = List.copyOf(ledgerChanges);
        ledgerChanges.clear();
        return out;
    }

    private void record(Entry<Ipv6> e, boolean released) {
        if (ledgerChanges != null) {
            ledgerChanges.add(new Lease6Ledger.Change(snapshot(e), released));
        }
    }

    /**
     * A lease the ledger holds (another server's, or this one's before a restart), or an address
     * another server claimed for its ADVERTISE: it replaces whatever this store had on that address.
     * Bound and declined ones are journaled; none is recorded as a change.
     */
    public synchronized void adopt(Lease6 l) {
        Entry<Ipv6> old = index.atAddress(l.address());
        String client = l.state() == Lease6.State.DECLINED ? DECLINED_CLIENT : l.client();
        Lease.State state = Lease.State.valueOf(l.state().name());
        if (old != null && old.state == state && old.expires == l.expires() && old.client.equals(client)) {
            return; // known already (this server's own lease, read back)
        }
        if (state == Lease.State.OFFERED && old != null && old.client.equals(client) && old.state == Lease.State.BOUND) {
            return; // a claim never downgrades the same client's lease
        }
        Entry<Ipv6> e = put(client, l.mac(), l.address(), l.expires(), state);
        if (state == Lease.State.BOUND) {
            append("B " + e.ip + " " + e.expires + " " + e.mac + " " + e.client + "\n");
        } else if (state == Lease.State.DECLINED) {
            append("D " + e.ip + " " + e.expires + "\n");
        }
    }

    private void replayLine(String[] f) {
        switch (f[0]) {
            case "B" -> put(f[4], f[3], Ipv6.parse(f[1]), Long.parseLong(f[2]), Lease.State.BOUND);
            case "R" -> remove(Ipv6.parse(f[1]), f[2]);
            case "D" -> put(DECLINED_CLIENT, "-", Ipv6.parse(f[1]), Long.parseLong(f[2]), Lease.State.DECLINED);
            default -> throw new IllegalArgumentException("unknown journal line kind " + f[0]);
        }
    }

    private Entry<Ipv6> put(String client, String mac, Ipv6 ip, long expires, Lease.State state) {
        Entry<Ipv6> e = index.put(client, mac, ip);
        e.expires = expires;
        e.state = state;
        return e;
    }

    private void remove(Ipv6 ip, String client) {
        index.remove(ip, client);
    }

    private static Lease6 snapshot(Entry<Ipv6> e) {
        return e == null ? null : new Lease6(e.client, e.mac, e.ip, e.expires, Lease6.State.valueOf(e.state.name()));
    }

    public synchronized Optional<Lease6> byClient(String client) {
        return Optional.ofNullable(snapshot(index.ofClient(client)));
    }

    public synchronized Optional<Lease6> byAddress(Ipv6 ip) {
        return Optional.ofNullable(snapshot(index.atAddress(ip)));
    }

    /** True when {@code client} may take {@code ip} now: nobody else holds it unexpired. */
    public synchronized boolean availableTo(Ipv6 ip, String client, long now) {
        return index.availableTo(ip, client, now);
    }

    /**
     * An address of {@code [start, end]} (one /64) for {@code client}: its current one, else the
     * next free one after the range's cursor. {@code excluded} is never given. Null when full.
     */
    public synchronized Ipv6 allocate(Ipv6 start, Ipv6 end, String client, long now, Predicate<Ipv6> excluded) {
        Entry<Ipv6> mine = index.ofClient(client);
        if (mine != null && mine.state != Lease.State.DECLINED && inRange(mine.ip, start, end) && !excluded.test(mine.ip)) {
            return mine.ip;
        }
        long size = end.lo() - start.lo() + 1; // 0 = the whole 2^64
        long cursor = cursors.getOrDefault(start, 0L);
        // every held address is in byAddress: after that many probes (plus exclusions met) one is free
        long probes = index.size() + 1L;
        long tried = 0;
        for (long k = 0; tried < probes && (size == 0 || Long.compareUnsigned(k, size) < 0); k++) {
            long off = size == 0 ? cursor + k : Long.remainderUnsigned(cursor + k, size);
            Ipv6 ip = start.plus(off);
            if (excluded.test(ip)) {
                continue; // reservations are few; they do not count as probes
            }
            tried++;
            Entry<Ipv6> e = index.atAddress(ip);
            if (e == null || e.expires < now) {
                cursors.put(start, off + 1);
                return ip;
            }
        }
        return null;
    }

    private static boolean inRange(Ipv6 ip, Ipv6 start, Ipv6 end) {
        return ip.compareTo(start) >= 0 && ip.compareTo(end) <= 0;
    }

    /** Holds {@code ip} for {@code client} until {@code until} (memory only: an ADVERTISE). */
    public synchronized void offer(String client, String mac, Ipv6 ip, long until) {
        Entry<Ipv6> cur = index.atAddress(ip);
        if (cur != null && cur.client.equals(client) && cur.state == Lease.State.BOUND) {
            return; // already bound to it: an advertise changes nothing
        }
        record(put(client, mac, ip, until, Lease.State.OFFERED), false);
    }

    /** Binds (or extends) a lease and queues its journal line; on disk after the next {@link #flush}. */
    public synchronized void bind(String client, String mac, Ipv6 ip, long expires) {
        record(put(client, mac, ip, expires, Lease.State.BOUND), false);
        append("B " + ip + " " + expires + " " + mac + " " + client + "\n");
    }

    /** RELEASE: forgets the lease if {@code client} holds {@code ip}. */
    public synchronized boolean release(String client, Ipv6 ip) {
        Entry<Ipv6> e = index.atAddress(ip);
        if (e == null || !e.client.equals(client)) {
            return false;
        }
        record(e, true);
        remove(ip, client);
        append("R " + ip + " " + client + "\n");
        return true;
    }

    /** DECLINE: {@code ip} is in use by someone else; keep it out of the range until {@code until}. */
    public synchronized void decline(Ipv6 ip, long until) {
        record(put(DECLINED_CLIENT, "-", ip, until, Lease.State.DECLINED), false);
        append("D " + ip + " " + until + "\n");
    }

    /** Forgets whatever dynamic lease holds {@code ip} (it became a reservation). */
    public synchronized void revoke(Ipv6 ip) {
        Entry<Ipv6> e = index.atAddress(ip);
        if (e != null) {
            release(e.client, ip);
        }
    }

    private void append(String line) {
        if (journal != null) {
            journal.append(line);
        }
    }

    /** Writes queued journal lines with one system call; call before sending the replies that depend on them. */
    public synchronized void flush(long now) throws IOException {
        if (journal == null) {
            return;
        }
        journal.flush();
        if (journal.lines() >= nextCompactionCheck) {
            if (journal.lines() > 4L * Math.max(boundCount(), 1)) {
                compact(now);
            }
            nextCompactionCheck = Math.max(10_000, journal.lines() + Math.max(1024, journal.lines() / 4));
        }
    }

    /** Rewrites the journal with live leases only: tmp file, fsync, atomic rename, fsync dir. */
    public synchronized void compact(long now) throws IOException {
        if (journal == null) {
            return;
        }
        StringBuilder sb = new StringBuilder(index.size() * 80 + 16);
        long lines = 0;
        List<Entry<Ipv6>> expired = new ArrayList<>();
        for (Entry<Ipv6> e : index.entries()) {
            if (e.expires < now && e.state != Lease.State.OFFERED) {
                expired.add(e);
            } else if (e.state == Lease.State.BOUND) {
                sb.append("B ").append(e.ip).append(' ').append(e.expires).append(' ').append(e.mac).append(' ')
                        .append(e.client).append('\n');
                lines++;
            } else if (e.state == Lease.State.DECLINED) {
                sb.append("D ").append(e.ip).append(' ').append(e.expires).append('\n');
                lines++;
            }
        }
        for (Entry<Ipv6> e : expired) {
            index.forget(e);
        }
        journal.rewrite(sb, lines);
    }

    public synchronized int boundCount() {
        return index.count(Lease.State.BOUND);
    }

    public synchronized List<Lease6> all() {
        List<Lease6> out = new ArrayList<>(index.size());
        for (Entry<Ipv6> e : index.entries()) {
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
}
