package io.yoo.installer.dhcp.v6.lease;

import io.yoo.installer.dhcp.v6.codec.Ipv6;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DHCPv6 leases in memory, persisted like the DHCPv4 {@code LeaseStore}: an append-only journal
 * {@code leases6.journal} ({@code B addr expires mac client}, {@code R addr client},
 * {@code D addr until}) written by {@link #flush} with one {@code write(2)} before the replies
 * that depend on it leave (survives kill -9 of the server, not a power cut; no fsync per lease,
 * like Kea's memfile), compacted (tmp file, fsync, atomic rename) at open and when it holds four
 * times more lines than live leases. Offers (ADVERTISE) are memory-only. Thread-safe.
 *
 * <p>A separate class from the v4 store on purpose: keys are IA identities and 128-bit addresses,
 * and a v6 range is far too big to scan, so allocation probes at most as many addresses as are
 * held (one of them is then free).
 */
public final class Lease6Store implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Lease6Store.class);
    public static final String FILE = "leases6.journal";
    private static final String DECLINED_CLIENT = "declined";

    private static final class Entry {
        String client;
        String mac;
        Ipv6 ip;
        long expires;
        Lease6.State state;
    }

    private final Map<String, Entry> byClient = new HashMap<>();
    private final Map<Ipv6, Entry> byAddress = new HashMap<>();
    private final Map<Ipv6, Long> cursors = new HashMap<>();
    private final Path dir;
    private FileChannel journal;
    private final StringBuilder pending = new StringBuilder();
    private long journalLines;
    /** Journal size at which {@link #flush} next counts the live leases (counting is O(leases)). */
    private long nextCompactionCheck = 10_000;

    private Lease6Store(Path dir) {
        this.dir = dir;
    }

    public static Lease6Store inMemory() {
        return new Lease6Store(null);
    }

    /** Opens (creating) the journal in {@code dir}, replays it and compacts it. */
    public static Lease6Store open(Path dir, long now) throws IOException {
        Files.createDirectories(dir);
        Lease6Store s = new Lease6Store(dir);
        Path file = dir.resolve(FILE);
        if (Files.exists(file)) {
            s.replay(file);
        }
        s.compact(now);
        return s;
    }

    private void replay(Path file) throws IOException {
        int bad = 0;
        List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        for (String line : lines) {
            String[] f = line.split(" ");
            try {
                switch (f[0]) {
                    case "B" -> put(f[4], f[3], Ipv6.parse(f[1]), Long.parseLong(f[2]), Lease6.State.BOUND);
                    case "R" -> remove(Ipv6.parse(f[1]), f[2]);
                    case "D" -> put(DECLINED_CLIENT, "-", Ipv6.parse(f[1]), Long.parseLong(f[2]), Lease6.State.DECLINED);
                    default -> bad++;
                }
            } catch (RuntimeException e) {
                bad++; // a torn last line after a crash, or hand-edited garbage: skip, say so
            }
        }
        if (bad > 0) {
            LOG.warn("{}: skipped {} unreadable line(s) of {}", file, bad, lines.size());
        }
    }

    private Entry put(String client, String mac, Ipv6 ip, long expires, Lease6.State state) {
        Entry old = byAddress.get(ip);
        if (old != null && !old.client.equals(client)) {
            byClient.remove(old.client, old);
        }
        Entry prev = byClient.get(client);
        if (prev != null && !prev.ip.equals(ip)) {
            byAddress.remove(prev.ip, prev);
        }
        Entry e = old != null ? old : prev != null && prev.ip.equals(ip) ? prev : new Entry();
        e.client = client;
        e.mac = mac;
        e.ip = ip;
        e.expires = expires;
        e.state = state;
        byAddress.put(ip, e);
        if (!DECLINED_CLIENT.equals(client)) {
            byClient.put(client, e);
        }
        return e;
    }

    private void remove(Ipv6 ip, String client) {
        Entry e = byAddress.get(ip);
        if (e != null && e.client.equals(client)) {
            byAddress.remove(ip);
            byClient.remove(client, e);
        }
    }

    private static Lease6 snapshot(Entry e) {
        return e == null ? null : new Lease6(e.client, e.mac, e.ip, e.expires, e.state);
    }

    public synchronized Optional<Lease6> byClient(String client) {
        return Optional.ofNullable(snapshot(byClient.get(client)));
    }

    public synchronized Optional<Lease6> byAddress(Ipv6 ip) {
        return Optional.ofNullable(snapshot(byAddress.get(ip)));
    }

    /** True when {@code client} may take {@code ip} now: nobody else holds it unexpired. */
    public synchronized boolean availableTo(Ipv6 ip, String client, long now) {
        Entry e = byAddress.get(ip);
        return e == null || e.client.equals(client) || e.expires < now;
    }

    /**
     * An address of {@code [start, end]} (one /64) for {@code client}: its current one, else the
     * next free one after the range's cursor. {@code excluded} is never given. Null when full.
     */
    public synchronized Ipv6 allocate(Ipv6 start, Ipv6 end, String client, long now, Predicate<Ipv6> excluded) {
        Entry mine = byClient.get(client);
        if (mine != null && mine.state != Lease6.State.DECLINED && inRange(mine.ip, start, end) && !excluded.test(mine.ip)) {
            return mine.ip;
        }
        long size = end.lo() - start.lo() + 1; // 0 = the whole 2^64
        long cursor = cursors.getOrDefault(start, 0L);
        // every held address is in byAddress: after that many probes (plus exclusions met) one is free
        long probes = byAddress.size() + 1L;
        long tried = 0;
        for (long k = 0; tried < probes && (size == 0 || Long.compareUnsigned(k, size) < 0); k++) {
            long off = size == 0 ? cursor + k : Long.remainderUnsigned(cursor + k, size);
            Ipv6 ip = start.plus(off);
            if (excluded.test(ip)) {
                continue; // reservations are few; they do not count as probes
            }
            tried++;
            Entry e = byAddress.get(ip);
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
        Entry cur = byAddress.get(ip);
        if (cur != null && cur.client.equals(client) && cur.state == Lease6.State.BOUND) {
            return; // already bound to it: an advertise changes nothing
        }
        put(client, mac, ip, until, Lease6.State.OFFERED);
    }

    /** Binds (or extends) a lease and queues its journal line; on disk after the next {@link #flush}. */
    public synchronized void bind(String client, String mac, Ipv6 ip, long expires) {
        put(client, mac, ip, expires, Lease6.State.BOUND);
        append("B " + ip + " " + expires + " " + mac + " " + client + "\n");
    }

    /** RELEASE: forgets the lease if {@code client} holds {@code ip}. */
    public synchronized boolean release(String client, Ipv6 ip) {
        Entry e = byAddress.get(ip);
        if (e == null || !e.client.equals(client)) {
            return false;
        }
        remove(ip, client);
        append("R " + ip + " " + client + "\n");
        return true;
    }

    /** DECLINE: {@code ip} is in use by someone else; keep it out of the range until {@code until}. */
    public synchronized void decline(Ipv6 ip, long until) {
        put(DECLINED_CLIENT, "-", ip, until, Lease6.State.DECLINED);
        append("D " + ip + " " + until + "\n");
    }

    /** Forgets whatever dynamic lease holds {@code ip} (it became a reservation). */
    public synchronized void revoke(Ipv6 ip) {
        Entry e = byAddress.get(ip);
        if (e != null) {
            release(e.client, ip);
        }
    }

    private void append(String line) {
        if (dir != null) {
            pending.append(line);
            journalLines++;
        }
    }

    /** Writes queued journal lines with one system call; call before sending the replies that depend on them. */
    public synchronized void flush(long now) throws IOException {
        if (dir == null || pending.isEmpty()) {
            return;
        }
        ByteBuffer b = ByteBuffer.wrap(pending.toString().getBytes(StandardCharsets.US_ASCII));
        pending.setLength(0);
        while (b.hasRemaining()) {
            journal.write(b);
        }
        if (journalLines >= nextCompactionCheck) {
            if (journalLines > 4L * Math.max(boundCount(), 1)) {
                compact(now);
            }
            nextCompactionCheck = Math.max(10_000, journalLines + Math.max(1024, journalLines / 4));
        }
    }

    /** Rewrites the journal with live leases only: tmp file, fsync, atomic rename, fsync dir. */
    public synchronized void compact(long now) throws IOException {
        if (dir == null) {
            return;
        }
        Path tmp = dir.resolve(FILE + ".tmp");
        Path file = dir.resolve(FILE);
        StringBuilder sb = new StringBuilder(byAddress.size() * 80 + 16);
        long lines = 0;
        List<Entry> expired = new ArrayList<>();
        for (Entry e : byAddress.values()) {
            if (e.expires < now && e.state != Lease6.State.OFFERED) {
                expired.add(e);
            } else if (e.state == Lease6.State.BOUND) {
                sb.append("B ").append(e.ip).append(' ').append(e.expires).append(' ').append(e.mac).append(' ')
                        .append(e.client).append('\n');
                lines++;
            } else if (e.state == Lease6.State.DECLINED) {
                sb.append("D ").append(e.ip).append(' ').append(e.expires).append('\n');
                lines++;
            }
        }
        for (Entry e : expired) {
            byAddress.remove(e.ip);
            byClient.remove(e.client, e);
        }
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.US_ASCII));
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        if (journal != null) {
            journal.close();
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException ignored) {
            // some filesystems cannot fsync a directory; the rename is still atomic
        }
        journal = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        journalLines = lines;
    }

    public synchronized int boundCount() {
        int n = 0;
        for (Entry e : byAddress.values()) {
            if (e.state == Lease6.State.BOUND) {
                n++;
            }
        }
        return n;
    }

    public synchronized List<Lease6> all() {
        List<Lease6> out = new ArrayList<>(byAddress.size());
        for (Entry e : byAddress.values()) {
            out.add(snapshot(e));
        }
        return out;
    }

    @Override
    public synchronized void close() {
        if (journal != null) {
            try {
                if (!pending.isEmpty()) {
                    ByteBuffer b = ByteBuffer.wrap(pending.toString().getBytes(StandardCharsets.US_ASCII));
                    pending.setLength(0);
                    while (b.hasRemaining()) {
                        journal.write(b);
                    }
                }
                journal.close();
            } catch (IOException e) {
                LOG.warn("closing lease journal: {}", e.toString());
            }
            journal = null;
        }
    }
}
