package io.yoo.installer.core.state;

import io.yoo.installer.core.discovery.DiscoveredMachine;
import io.yoo.installer.core.discovery.Inventory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link StateStore} on JDBC: embedded H2 (default) or PostgreSQL.
 *
 * <p>Writes go through one writer thread that does <em>group commit</em>: it takes every event
 * queued while the previous transaction ran, applies them in one transaction, commits, and only
 * then completes the callers' futures. So {@link #record} returns after its event is committed
 * (the HTTP layer answers 2xx after that: a kill -9 loses no acknowledged event), while a burst of
 * progress reports from a rack costs one commit rather than hundreds. Machine rows are read
 * {@code FOR UPDATE} inside the transaction, so several servers sharing a PostgreSQL database
 * serialise on a machine rather than overwrite each other.
 *
 * <p>With a spool ({@link #withSpool}, for PostgreSQL): when the database becomes unreachable (a
 * write fails on a broken connection, or the idle probe finds it dead), the writer marks it down,
 * logs that once, and appends every write to the spool (forced to disk) before completing it as
 * {@link Outcome#QUEUED}. It reconnects with backoff; once connected it replays the spool in
 * order, with the original times, and only then takes new writes again. Each event carries an id
 * stored with it ({@code yoo_event.write_id}, unique): a replayed event that already committed
 * (the connection broke after the commit, before we learnt it) is skipped, so none is stored twice.
 * A spool left by a previous run is replayed at {@link #start}.
 *
 * <p>Reads use a separate connection. With embedded H2 (one server owns the database) the states
 * are also cached in memory for {@link #stateOf}, which the boot policy calls per packet.
 */
public final class JdbcStateStore implements StateStore, AccessStore, InstallLogStore, DiscoveryStore {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcStateStore.class);
    private static final int MAX_BATCH = 512;
    private static final long WRITE_TIMEOUT_SECONDS = 30;
    /** Default bound of the write spool: ~15,000 events with a full 4 KB message, far more without. */
    public static final long DEFAULT_SPOOL_BYTES = 64L << 20;
    private static final long PROBE_MILLIS = 2_000;
    private static final long MAX_BACKOFF_MILLIS = 10_000;
    private static final String COLUMNS = "name, machine_state, phase_name, phase_status, detail, generation, state_since, "
            + "updated_at, attempt_started_at, installed_at, last_mac, last_ip, last_ipv6";

    private final JdbcConfig config;
    private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(16_384);
    private final List<StateListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, MachineRecord> cache = new ConcurrentHashMap<>();
    private final boolean cached;
    /**
     * PostgreSQL: each machine's state as last read or written, for {@link #stateOf} while the
     * database is unreachable (the boot policy asks per packet: reserved machines must still be
     * answered). One entry per machine asked about (the descriptor's machines).
     */
    private final Map<String, MachineState> lastKnown = new ConcurrentHashMap<>();
    private final Object readLock = new Object();
    private volatile boolean running;
    private Connection writeConn;
    private Connection readConn;
    private Thread writer;
    private Path spoolFile;
    private long spoolBytes;
    // the spool and the down/backoff fields below are the writer thread's (and start's, before it runs)
    private WriteSpool spool;
    private volatile boolean up = true;
    private volatile String downCause;
    private volatile Instant downSince;
    private volatile long queued;
    private volatile Instant oldestQueued;
    private final AtomicLong dropped = new AtomicLong();
    private final RateLimitedWarning refusedWrites = new RateLimitedWarning(Duration.ofMinutes(1), LOG::error);
    private boolean fullLogged;
    private long backoffMillis;
    private long nextAttemptAt;
    private long lastProbeAt;

    /**
     * Write ids: a random prefix per store instance (one UUID's first 23 characters, ~86 random
     * bits: unique across servers and restarts) and a counter, so an event costs no SecureRandom
     * call (UUID.randomUUID per event was 1-2.5 % of a server's CPU in the storm). At most 36
     * characters ({@code yoo_event.write_id}): the counter stays below 2^48.
     */
    private final String writeIdPrefix = UUID.randomUUID().toString().substring(0, 23) + "-";
    private final AtomicLong writeIds = new AtomicLong();

    /** One event to store, with the id that makes its replay from the spool idempotent. */
    private record Pending(ProgressEvent event, String writeId, CompletableFuture<Transition> done) {}

    private Pending pending(ProgressEvent event) {
        return new Pending(event, writeIdPrefix + Long.toHexString(writeIds.incrementAndGet()), new CompletableFuture<>());
    }

    public JdbcStateStore(JdbcConfig config) {
        this.config = config;
        this.cached = !config.isPostgres();
    }

    /**
     * Keeps writes in {@code file} (at most {@code maxBytes}) while the database is unreachable, and
     * replays them when it is back (also at the next start). Call before {@link #start}.
     */
    public JdbcStateStore withSpool(Path file, long maxBytes) {
        this.spoolFile = file;
        this.spoolBytes = maxBytes;
        return this;
    }

    @Override
    public String name() {
        return "state";
    }

    @Override
    public synchronized void start() throws SQLException {
        if (running) {
            throw new IllegalStateException("state store already started");
        }
        if (spoolFile != null && spool == null) {
            try {
                spool = WriteSpool.open(spoolFile, spoolBytes);
            } catch (IOException e) {
                throw new SQLException("cannot open the write spool " + spoolFile + ": " + e.getMessage(), "58030", e);
            }
            dropped.addAndGet(spool.droppedAtOpen());
        }
        try {
            writeConn = config.connectRewritingBatches(); // applyAll never reads executeBatch's counts
            SchemaMigrator.migrate(writeConn, config.isPostgres());
            writeConn.setAutoCommit(false);
            readConn = open();
            readConn.setAutoCommit(true);
            if (cached) {
                for (MachineRecord r : queryMachines()) {
                    cache.put(r.name(), r);
                }
            }
            if (spool != null && spool.count() > 0) {
                int n = replaySpool(); // a previous run's outage: before any new write
                LOG.warn("state store: replayed {} writes queued by an earlier run in {}", n, spool.file());
            }
        } catch (SQLException e) {
            closeQuietly();
            throw new SQLException("cannot open the state database " + config.url() + ": " + e.getMessage(), e.getSQLState(), e);
        }
        running = true;
        writer = Thread.ofPlatform().name("yoo-state-writer").daemon(true).start(this::writeLoop);
        LOG.info("state store ready: {}", config.url());
    }

    private Connection open() throws SQLException {
        return config.connect();
    }

    @Override
    public void stop() {
        Thread w;
        synchronized (this) {
            if (!running) {
                return;
            }
            running = false;
            w = writer;
        }
        // no interrupt: it would close the spool's FileChannel mid-append; the loop polls every 200 ms
        try {
            w.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        failQueued(new IllegalStateException("state store stopped"));
        synchronized (this) {
            closeQuietly();
            if (spool != null) {
                try {
                    spool.close();
                } catch (IOException e) {
                    LOG.debug("spool close failed", e);
                }
                spool = null;
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /**
     * Queues the event without waiting for its commit (nor for queue space: when the queue is full
     * the future fails at once). Events queued one after another are applied in that order, also
     * relative to {@link #record}.
     */
    @Override
    public CompletableFuture<Transition> recordAsync(ProgressEvent event) {
        if (!running) {
            return CompletableFuture.failedFuture(new IllegalStateException("state store is not running"));
        }
        Optional<Transition> unchanged = unchanged(event);
        if (unchanged.isPresent()) {
            return CompletableFuture.completedFuture(unchanged.get());
        }
        Pending p = pending(event);
        if (!queue.offer(p)) {
            return CompletableFuture.failedFuture(new StateStoreException("state store overloaded: write queue full", null));
        }
        return p.done();
    }

    /**
     * A sighting or repeat that changes nothing (a DHCP renewal, a re-fetched script) is answered
     * from the cache without a transaction: these arrive per packet/request.
     */
    private Optional<Transition> unchanged(ProgressEvent event) {
        if (!cached) {
            return Optional.empty();
        }
        MachineRecord known = cache.get(event.machine());
        Transition t = StateMachine.apply(known != null ? known : MachineRecord.unknown(event.machine(), event.at()), event);
        return t.outcome() == Outcome.IGNORED ? Optional.of(t) : Optional.empty();
    }

    @Override
    public Transition record(ProgressEvent event) {
        if (!running) {
            throw new IllegalStateException("state store is not running");
        }
        Optional<Transition> unchanged = unchanged(event);
        if (unchanged.isPresent()) {
            return unchanged.get();
        }
        Pending p = pending(event);
        try {
            if (!queue.offer(p, WRITE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new StateStoreException("state store overloaded: write queue full", null);
            }
            return p.done().get(WRITE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StateStoreException("interrupted while storing an event", e);
        } catch (TimeoutException e) {
            throw new StateStoreException("state database did not commit within " + WRITE_TIMEOUT_SECONDS + " s", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new StateStoreException("cannot store event: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private void writeLoop() {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    idle();
                    continue;
                }
                batch.add(first);
            } catch (InterruptedException e) {
                if (queue.isEmpty()) {
                    break;
                }
                // drain what callers already queued before stopping
            }
            queue.drainTo(batch, MAX_BATCH - batch.size());
            if (!batch.isEmpty()) {
                write(batch);
                batch.clear();
            }
        }
    }

    /** Between writes: notices a dead database (so the metrics say so), or retries a down one. */
    private void idle() {
        if (spool == null || !running) {
            return;
        }
        if (!up || spool.count() > 0) {
            recover();
            return;
        }
        long now = System.currentTimeMillis();
        if (now - lastProbeAt >= PROBE_MILLIS) {
            lastProbeAt = now;
            if (!valid(writeConn)) {
                markDown(new SQLException("connection to the database lost (idle probe)", "08006"));
            }
        }
    }

    private void write(List<Pending> batch) {
        if (spool != null && (!up || spool.count() > 0) && !recover()) {
            spoolAll(batch); // behind what is already spooled: order kept
            return;
        }
        commitBatch(batch);
    }

    /**
     * Reconnects (when down and its backoff has passed) and replays the spool. True when the
     * database takes writes again with nothing left queued.
     */
    private boolean recover() {
        long now = System.currentTimeMillis();
        if (!up && now < nextAttemptAt) {
            return false;
        }
        try {
            if (!up) {
                reconnect();
            }
            int n = replaySpool();
            if (!up) {
                long seconds = downSince == null ? 0 : Duration.between(downSince, Instant.now()).toSeconds();
                up = true;
                downCause = null;
                downSince = null;
                fullLogged = false;
                LOG.warn("state database BACK after {} s: replayed {} queued writes, {} dropped while it was down", seconds, n, dropped.get());
            }
            return true;
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly();
            markDown(e);
            backoffMillis = Math.min(Math.max(500, backoffMillis * 2), MAX_BACKOFF_MILLIS);
            nextAttemptAt = System.currentTimeMillis() + backoffMillis;
            LOG.debug("state database still unreachable: {}", e.toString());
            return false;
        }
    }

    private void reconnect() throws SQLException {
        Connection fresh = config.connectRewritingBatches();
        fresh.setAutoCommit(false);
        close(writeConn);
        writeConn = fresh;
        synchronized (readLock) {
            close(readConn);
            readConn = null;
            readConn = open();
            readConn.setAutoCommit(true);
        }
    }

    private void markDown(Throwable cause) {
        if (spool == null || !up) {
            return;
        }
        up = false;
        downSince = Instant.now();
        downCause = firstLine(cause);
        backoffMillis = 500;
        nextAttemptAt = System.currentTimeMillis() + backoffMillis;
        LOG.error("state database DOWN ({}): writes are queued in {} (at most {} bytes) until it is back; DHCP answers reserved "
                + "machines, pool leases are not ACKed", downCause, spool.file(), spool.maxBytes());
    }

    private static String firstLine(Throwable t) {
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** Appends each write to the spool and answers it QUEUED; a write the full spool refuses fails (counted). */
    private void spoolAll(List<Pending> batch) {
        for (Pending p : batch) {
            boolean kept;
            try {
                kept = spool.append(new QueuedEvent(p.writeId(), p.event()).encode());
            } catch (UncheckedIOException e) {
                LOG.error("state store: {}", e.getMessage());
                kept = false;
            }
            if (!kept) {
                long n = dropped.incrementAndGet();
                if (!fullLogged) {
                    fullLogged = true;
                    LOG.error("WRITE SPOOL FULL ({} of {} bytes in {}): REFUSING writes (HTTP 503, sightings lost) until the database "
                            + "is back; dropped so far: {} (metric yoo_store_dropped_writes_total)", spool.sizeBytes(), spool.maxBytes(),
                            spool.file(), n);
                }
                p.done().completeExceptionally(new StateStoreException(
                        "state database unreachable and the write spool is full: not stored", null));
                continue;
            }
            if (oldestQueued == null) {
                oldestQueued = p.event().at();
            }
            queued = spool.count();
            MachineRecord known = cached ? cache.get(p.event().machine()) : null;
            MachineRecord before = known != null ? known : MachineRecord.unknown(p.event().machine(), p.event().at());
            p.done().complete(new Transition(before, before, p.event(), Outcome.QUEUED));
        }
    }

    /** Applies every spooled write in order, in batches, skipping those already committed; empties the spool. */
    private int replaySpool() throws SQLException {
        List<byte[]> records = spool.records();
        List<Pending> chunk = new ArrayList<>(MAX_BATCH);
        for (byte[] r : records) {
            try {
                QueuedEvent q = QueuedEvent.decode(r);
                chunk.add(new Pending(q.event(), q.writeId(), new CompletableFuture<>()));
            } catch (IllegalArgumentException e) {
                dropped.incrementAndGet();
                LOG.error("state store: a queued write in {} cannot be read ({}): dropped", spool.file(), e.getMessage());
            }
            if (chunk.size() == MAX_BATCH) {
                replayChunk(chunk);
                chunk.clear();
            }
        }
        replayChunk(chunk);
        spool.clear();
        queued = 0;
        oldestQueued = null;
        return records.size();
    }

    private void replayChunk(List<Pending> chunk) throws SQLException {
        if (chunk.isEmpty()) {
            return;
        }
        try {
            afterCommit(applyAll(chunk, true));
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly();
            if (lostConnection(e)) {
                throw e instanceof SQLException s ? s : new SQLException(e.getMessage(), "08006", e);
            }
            if (chunk.size() > 1) {
                for (Pending p : chunk) {
                    replayChunk(List.of(p));
                }
            } else {
                dropped.incrementAndGet();
                LOG.error("state store: queued event of {} cannot be stored ({}): dropped", chunk.getFirst().event().machine(), e.toString());
            }
        }
    }

    /** True when the failure is the database being unreachable rather than this write being bad. */
    private boolean lostConnection(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null
                    && (s.getSQLState().startsWith("08") || s.getSQLState().startsWith("57P"))) {
                return true;
            }
        }
        return !valid(writeConn);
    }

    private static boolean valid(Connection c) {
        try {
            return c != null && c.isValid(JdbcConfig.CONNECT_TIMEOUT_SECONDS);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public StoreStatus status() {
        return new StoreStatus(up, Optional.ofNullable(downCause), Optional.ofNullable(downSince), queued, Optional.ofNullable(oldestQueued),
                dropped.get());
    }

    private void commitBatch(List<Pending> batch) {
        try {
            List<Transition> results = applyAll(batch, false);
            // cache and listeners first: a caller that got its answer must read its own write
            afterCommit(results);
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).done().complete(results.get(i));
            }
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly();
            if (spool != null && lostConnection(e)) {
                markDown(e);
                spoolAll(batch); // the commit's outcome is unknown: the write ids make the replay skip what did commit
                return;
            }
            if (batch.size() > 1) {
                // one bad event must not fail the others: retry them one by one
                for (Pending p : batch) {
                    commitBatch(new ArrayList<>(List.of(p)));
                }
            } else {
                LOG.warn("state store: cannot store event for {}: {}", batch.getFirst().event().machine(), e.toString());
                batch.getFirst().done().completeExceptionally(
                        new StateStoreException("cannot store event: " + e.getMessage(), e));
            }
        }
    }

    /** Applies the batch in one transaction; {@code replay}: skips events whose write id is already stored. */
    private List<Transition> applyAll(List<Pending> batch, boolean replay) throws SQLException {
        Map<String, MachineRecord> current = new HashMap<>();
        Map<String, Boolean> exists = new HashMap<>();
        List<Transition> results = new ArrayList<>(batch.size());
        try (PreparedStatement select = writeConn.prepareStatement("SELECT " + COLUMNS + " FROM yoo_machine WHERE name = ? FOR UPDATE");
                PreparedStatement update = writeConn.prepareStatement("UPDATE yoo_machine SET machine_state=?, phase_name=?, "
                        + "phase_status=?, detail=?, generation=?, state_since=?, updated_at=?, attempt_started_at=?, "
                        + "installed_at=?, last_mac=?, last_ip=?, last_ipv6=? WHERE name=?");
                PreparedStatement insert = writeConn.prepareStatement("INSERT INTO yoo_machine (machine_state, phase_name, "
                        + "phase_status, detail, generation, state_since, updated_at, attempt_started_at, installed_at, "
                        + "last_mac, last_ip, last_ipv6, name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
                PreparedStatement event = writeConn.prepareStatement("INSERT INTO yoo_event (machine, generation, occurred_at, "
                        + "event_source, phase_name, event_status, detail, event_outcome, state_after, write_id) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
                PreparedStatement stored = writeConn.prepareStatement("SELECT 1 FROM yoo_event WHERE write_id = ?")) {
            Map<String, MachineRecord> dirty = new LinkedHashMap<>();
            Set<String> committed = Set.of();
            if (!cached) {
                // PostgreSQL: the batch's machine rows in one statement (not one round trip per machine), locked
                // in name order, so two servers writing batches over the same machines never deadlock
                lockMachines(batch, current, exists);
                if (replay) {
                    committed = storedWriteIds(batch);
                }
            }
            for (Pending p : batch) {
                ProgressEvent e = p.event();
                if (replay && (cached ? alreadyStored(stored, p.writeId()) : committed.contains(p.writeId()))) {
                    continue; // committed before the connection broke: its transaction held the machine row too
                }
                MachineRecord before = current.get(e.machine());
                if (before == null) {
                    if (!exists.containsKey(e.machine())) {
                        // embedded H2: this process is the only writer, the cache is the truth
                        before = cached ? cache.get(e.machine()) : null;
                        if (before == null) {
                            select.setString(1, e.machine());
                            try (ResultSet rs = select.executeQuery()) {
                                before = rs.next() ? read(rs) : null;
                            }
                        }
                        exists.put(e.machine(), before != null);
                    }
                    if (before == null) {
                        before = MachineRecord.unknown(e.machine(), e.at());
                    }
                }
                Transition t = StateMachine.apply(before, e);
                if (t.outcome().stored()) {
                    if (t.after() != before || !exists.get(e.machine())) {
                        dirty.put(e.machine(), t.after());
                    }
                    event.setString(1, e.machine());
                    event.setInt(2, t.after().generation());
                    event.setLong(3, e.at().toEpochMilli());
                    event.setString(4, e.source().key());
                    event.setString(5, e.phase());
                    event.setString(6, e.status().key());
                    setNullable(event, 7, e.message().orElse(null));
                    event.setString(8, t.outcome().key());
                    event.setString(9, t.after().state().key());
                    event.setString(10, p.writeId());
                    event.addBatch();
                }
                current.put(e.machine(), t.after());
                results.add(t);
            }
            // one row write per machine per batch, however many of its events the batch held
            boolean updates = false;
            boolean inserts = false;
            for (MachineRecord r : dirty.values()) {
                PreparedStatement ps = exists.get(r.name()) ? update : insert;
                bindMachine(ps, r);
                ps.addBatch();
                updates |= ps == update;
                inserts |= ps == insert;
            }
            if (inserts) {
                insert.executeBatch();
            }
            if (updates) {
                update.executeBatch();
            }
            event.executeBatch();
        }
        writeConn.commit();
        return results;
    }

    /**
     * PostgreSQL: reads and locks ({@code FOR UPDATE}) the rows of every machine the batch names, in
     * name order, into {@code current}; {@code exists} gets each name, with whether it has a row.
     */
    private void lockMachines(List<Pending> batch, Map<String, MachineRecord> current, Map<String, Boolean> exists) throws SQLException {
        TreeSet<String> names = new TreeSet<>();
        for (Pending p : batch) {
            names.add(p.event().machine());
        }
        try (PreparedStatement lock = writeConn.prepareStatement("SELECT " + COLUMNS + " FROM yoo_machine WHERE name = ANY(?) "
                + "ORDER BY name FOR UPDATE")) {
            lock.setArray(1, writeConn.createArrayOf("varchar", names.toArray()));
            try (ResultSet rs = lock.executeQuery()) {
                while (rs.next()) {
                    MachineRecord r = read(rs);
                    current.put(r.name(), r);
                }
            }
        }
        for (String n : names) {
            exists.put(n, current.containsKey(n));
        }
    }

    /** PostgreSQL: which of the batch's write ids are already stored (a replay), in one statement. */
    private Set<String> storedWriteIds(List<Pending> batch) throws SQLException {
        Set<String> out = new HashSet<>();
        try (PreparedStatement ps = writeConn.prepareStatement("SELECT write_id FROM yoo_event WHERE write_id = ANY(?)")) {
            ps.setArray(1, writeConn.createArrayOf("varchar", batch.stream().map(Pending::writeId).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    private static boolean alreadyStored(PreparedStatement stored, String writeId) throws SQLException {
        stored.setString(1, writeId);
        try (ResultSet rs = stored.executeQuery()) {
            return rs.next();
        }
    }

    private void afterCommit(List<Transition> results) {
        for (Transition t : results) {
            if (cached) {
                cache.put(t.after().name(), t.after());
            } else {
                lastKnown.put(t.after().name(), t.after().state());
            }
            if (!t.outcome().stored()) {
                continue;
            }
            for (StateListener l : listeners) {
                try {
                    l.changed(t);
                } catch (RuntimeException ex) {
                    LOG.warn("state listener failed", ex);
                }
            }
        }
    }

    private static void bindMachine(PreparedStatement ps, MachineRecord r) throws SQLException {
        ps.setString(1, r.state().key());
        setNullable(ps, 2, r.phase().orElse(null));
        setNullable(ps, 3, r.phaseStatus().map(EventStatus::key).orElse(null));
        setNullable(ps, 4, r.message().orElse(null));
        ps.setInt(5, r.generation());
        ps.setLong(6, r.stateSince().toEpochMilli());
        ps.setLong(7, r.updatedAt().toEpochMilli());
        setNullableLong(ps, 8, r.attemptStartedAt());
        setNullableLong(ps, 9, r.installedAt());
        setNullable(ps, 10, r.lastMac().orElse(null));
        setNullable(ps, 11, r.lastIp().orElse(null));
        setNullable(ps, 12, r.lastIpv6().orElse(null));
        ps.setString(13, r.name());
    }

    private static void setNullable(PreparedStatement ps, int i, String v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.VARCHAR);
        } else {
            ps.setString(i, v);
        }
    }

    private static void setNullableLong(PreparedStatement ps, int i, Optional<Instant> v) throws SQLException {
        if (v.isEmpty()) {
            ps.setNull(i, Types.BIGINT);
        } else {
            ps.setLong(i, v.get().toEpochMilli());
        }
    }

    private static MachineRecord read(ResultSet rs) throws SQLException {
        return new MachineRecord(rs.getString(1), MachineState.valueOf(rs.getString(2).toUpperCase(Locale.ROOT)),
                Optional.ofNullable(rs.getString(3)), Optional.ofNullable(rs.getString(4)).map(EventStatus::fromKey),
                Optional.ofNullable(rs.getString(5)), rs.getInt(6), Instant.ofEpochMilli(rs.getLong(7)),
                Instant.ofEpochMilli(rs.getLong(8)), instant(rs, 9), instant(rs, 10),
                Optional.ofNullable(rs.getString(11)), Optional.ofNullable(rs.getString(12)), Optional.ofNullable(rs.getString(13)));
    }

    private static Optional<Instant> instant(ResultSet rs, int i) throws SQLException {
        long v = rs.getLong(i);
        return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(v));
    }

    @Override
    public Optional<MachineRecord> machine(String name) {
        if (cached) {
            requireRunning();
            return Optional.ofNullable(cache.get(name));
        }
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM yoo_machine WHERE name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(read(rs)) : Optional.<MachineRecord>empty();
                }
            }
        });
    }

    @Override
    public MachineState stateOf(String machine) {
        if (cached) {
            MachineRecord r = cache.get(machine);
            return r == null ? MachineState.UNKNOWN : r.state();
        }
        if (!up) {
            return lastKnown.getOrDefault(machine, MachineState.UNKNOWN); // no connection attempt per packet
        }
        try {
            MachineState s = StateStore.super.stateOf(machine);
            lastKnown.put(machine, s);
            return s;
        } catch (StateStoreException e) {
            return lastKnown.getOrDefault(machine, MachineState.UNKNOWN);
        }
    }

    @Override
    public List<MachineRecord> machines() {
        if (cached) {
            requireRunning();
            List<MachineRecord> all = new ArrayList<>(cache.values());
            all.sort(Comparator.comparing(MachineRecord::name));
            return all;
        }
        return read(c -> queryMachines());
    }

    private List<MachineRecord> queryMachines() throws SQLException {
        List<MachineRecord> out = new ArrayList<>();
        synchronized (readLock) {
            Connection c = readConn != null ? readConn : writeConn;
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT " + COLUMNS + " FROM yoo_machine ORDER BY name")) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
        }
        return out;
    }

    @Override
    public List<StoredEvent> history(String machine, int limit) {
        return read(c -> {
            List<StoredEvent> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, machine, generation, occurred_at, event_source, "
                    + "phase_name, event_status, detail, event_outcome, state_after FROM yoo_event WHERE machine = ? "
                    + "ORDER BY id DESC")) {
                ps.setString(1, machine);
                ps.setMaxRows(Math.max(1, limit));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new StoredEvent(rs.getLong(1), rs.getString(2), rs.getInt(3), Instant.ofEpochMilli(rs.getLong(4)),
                                EventSource.fromKey(rs.getString(5)), rs.getString(6), EventStatus.fromKey(rs.getString(7)),
                                Optional.ofNullable(rs.getString(8)), Outcome.valueOf(rs.getString(9).toUpperCase(Locale.ROOT)),
                                MachineState.valueOf(rs.getString(10).toUpperCase(Locale.ROOT))));
                    }
                }
            }
            Collections.reverse(out);
            return out;
        });
    }

    @Override
    public Map<MachineState, Long> countByState() {
        Map<MachineState, Long> counts = new EnumMap<>(MachineState.class);
        for (MachineState s : MachineState.values()) {
            counts.put(s, 0L);
        }
        for (MachineRecord r : machines()) {
            counts.merge(r.state(), 1L, Long::sum);
        }
        return counts;
    }

    @Override
    public void addListener(StateListener listener) {
        listeners.add(listener);
    }

    @Override
    public boolean ping() {
        if (!running) {
            return false;
        }
        try {
            return read(c -> {
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT 1")) {
                    return rs.next();
                }
            });
        } catch (RuntimeException e) {
            return false;
        }
    }

    // --- API tokens and audit (AccessStore): rare, small writes on the read connection (autocommit),
    // so they never queue behind the event writer

    private static final String TOKEN_COLUMNS = "name, token_kind, created_at, expires_at, last_used_at";

    @Override
    public void addToken(String name, ApiTokenKind kind, String sha256Hex, Instant createdAt, Optional<Instant> expiresAt) {
        read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM yoo_api_token WHERE name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        throw new IllegalArgumentException("a token named '" + name + "' exists (revoke it first)");
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO yoo_api_token (name, token_kind, token_hash, created_at, "
                    + "expires_at) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, name);
                ps.setString(2, kind.key());
                ps.setString(3, sha256Hex);
                ps.setLong(4, createdAt.toEpochMilli());
                ps.setObject(5, expiresAt.map(Instant::toEpochMilli).orElse(null), java.sql.Types.BIGINT);
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Optional<ApiToken> tokenByHash(String sha256Hex) {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + TOKEN_COLUMNS + " FROM yoo_api_token WHERE token_hash = ?")) {
                ps.setString(1, sha256Hex);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(token(rs)) : Optional.<ApiToken>empty();
                }
            }
        });
    }

    @Override
    public List<ApiToken> tokens() {
        return read(c -> {
            List<ApiToken> out = new ArrayList<>();
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT " + TOKEN_COLUMNS + " FROM yoo_api_token ORDER BY name")) {
                while (rs.next()) {
                    out.add(token(rs));
                }
            }
            return out;
        });
    }

    private static ApiToken token(ResultSet rs) throws SQLException {
        return new ApiToken(rs.getString(1), ApiTokenKind.fromKey(rs.getString(2)), Instant.ofEpochMilli(rs.getLong(3)),
                optionalMillis(rs, 4), optionalMillis(rs, 5));
    }

    private static Optional<Instant> optionalMillis(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(v));
    }

    @Override
    public boolean revokeToken(String name) {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM yoo_api_token WHERE name = ?")) {
                ps.setString(1, name);
                return ps.executeUpdate() > 0;
            }
        });
    }

    @Override
    public void tokenUsed(String name, Instant at) {
        read(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE yoo_api_token SET last_used_at = ? WHERE name = ?")) {
                ps.setLong(1, at.toEpochMilli());
                ps.setString(2, name);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public void audit(Instant at, String actor, String action, Optional<String> target, Optional<String> client, Optional<String> detail) {
        refusedIfDown("audit entry " + action + " by " + actor, () -> read(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO yoo_audit (occurred_at, actor, action, target, client, detail) "
                    + "VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setLong(1, at.toEpochMilli());
                ps.setString(2, clip(actor, 64));
                ps.setString(3, clip(action, 64));
                ps.setString(4, target.map(t -> clip(t, 300)).orElse(null));
                ps.setString(5, client.map(t -> clip(t, 64)).orElse(null));
                ps.setString(6, detail.map(t -> clip(t, 1000)).orElse(null));
                return ps.executeUpdate();
            }
        }));
    }

    /**
     * A write that is not spooled (audit entries, install logs): when the database cannot take it,
     * it is refused — counted with the spool's refusals ({@code yoo_store_dropped_writes_total}) and
     * logged at most once a minute with how many — and the caller answers 503.
     */
    private <T> T refusedIfDown(String what, Supplier<T> write) {
        try {
            return write.get();
        } catch (StateStoreException e) {
            long n = dropped.incrementAndGet();
            refusedWrites.warn(() -> "state store: " + what + " refused, not queued (" + e.getMessage() + "); writes refused or dropped so far: "
                    + n + " (metric yoo_store_dropped_writes_total)");
            throw e;
        }
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    @Override
    public List<AuditEntry> audit(int limit) {
        return read(c -> {
            List<AuditEntry> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, occurred_at, actor, action, target, client, detail FROM yoo_audit "
                    + "ORDER BY id DESC")) {
                ps.setMaxRows(Math.max(1, limit));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new AuditEntry(rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3), rs.getString(4),
                                Optional.ofNullable(rs.getString(5)), Optional.ofNullable(rs.getString(6)), Optional.ofNullable(rs.getString(7))));
                    }
                }
            }
            return out;
        });
    }

    // --- install logs (InstallLogStore): a few per machine and install, on the read connection
    // (autocommit) like the tokens, so an upload never queues behind the event writer

    @Override
    public void putLog(String machine, int attempt, Instant at, long bytes, byte[] gzip) {
        refusedIfDown("install log of " + machine, () -> read(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE yoo_install_log SET uploaded_at = ?, log_bytes = ?, content_gzip = ? "
                    + "WHERE machine = ? AND generation = ?")) {
                ps.setLong(1, at.toEpochMilli());
                ps.setLong(2, bytes);
                ps.setBytes(3, gzip);
                ps.setString(4, machine);
                ps.setInt(5, attempt);
                if (ps.executeUpdate() == 0) {
                    try (PreparedStatement in = c.prepareStatement("INSERT INTO yoo_install_log (machine, generation, uploaded_at, log_bytes, "
                            + "content_gzip) VALUES (?, ?, ?, ?, ?)")) {
                        in.setString(1, machine);
                        in.setInt(2, attempt);
                        in.setLong(3, at.toEpochMilli());
                        in.setLong(4, bytes);
                        in.setBytes(5, gzip);
                        in.executeUpdate();
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM yoo_install_log WHERE machine = ? AND generation <= ?")) {
                ps.setString(1, machine);
                ps.setInt(2, attempt - KEEP_ATTEMPTS);
                ps.executeUpdate();
            }
            return null;
        }));
    }

    @Override
    public Optional<byte[]> log(String machine, int attempt) {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT content_gzip FROM yoo_install_log WHERE machine = ? AND generation = ?")) {
                ps.setString(1, machine);
                ps.setInt(2, attempt);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.<byte[]>empty();
                }
            }
        });
    }

    @Override
    public List<InstallLogInfo> logs(String machine) {
        return read(c -> {
            List<InstallLogInfo> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT generation, uploaded_at, log_bytes, OCTET_LENGTH(content_gzip) "
                    + "FROM yoo_install_log WHERE machine = ? ORDER BY generation DESC")) {
                ps.setString(1, machine);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new InstallLogInfo(machine, rs.getInt(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getLong(3), rs.getLong(4)));
                    }
                }
            }
            return out;
        });
    }

    // --- discovered machines (DiscoveryStore): like tokens, rare small writes on the read connection,
    // under its lock, so a report and its conflict check are one step for this process

    private static final String DISCOVERED_COLUMNS = "id, mac, uuid, serial, status, held_reason, inventory, source, first_seen, "
            + "last_seen, reports";

    @Override
    public DiscoveredMachine report(Inventory inventory, Optional<String> source, Instant at) {
        String mac = inventory.bootMac().toString();
        Optional<String> uuid = inventory.uuid().map(Object::toString);
        return read(c -> {
            List<DiscoveredMachine> claims = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + DISCOVERED_COLUMNS + " FROM yoo_discovered WHERE mac = ? OR uuid = ? "
                    + "ORDER BY id")) {
                ps.setString(1, mac);
                ps.setString(2, uuid.orElse(null));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        claims.add(discovered(rs));
                    }
                }
            }
            // the same machine: its MAC, and its UUID when both sides know one
            Optional<DiscoveredMachine> same = claims.stream()
                    .filter(d -> d.mac().equals(mac) && (d.uuid().isEmpty() || uuid.isEmpty() || d.uuid().equals(uuid)))
                    .findFirst();
            List<DiscoveredMachine> others = claims.stream().filter(d -> same.isEmpty() || d.id() != same.get().id())
                    .filter(d -> d.status() != DiscoveredMachine.Status.REJECTED).toList();
            long id;
            if (same.isPresent()) {
                id = same.get().id();
                try (PreparedStatement ps = c.prepareStatement("UPDATE yoo_discovered SET uuid = ?, serial = ?, inventory = ?, source = ?, "
                        + "last_seen = ?, reports = reports + 1 WHERE id = ?")) {
                    ps.setString(1, uuid.or(() -> same.get().uuid()).orElse(null));
                    ps.setString(2, inventory.serial().orElse(null));
                    ps.setString(3, inventory.json());
                    ps.setString(4, source.map(x -> clip(x, 64)).orElse(null));
                    ps.setLong(5, at.toEpochMilli());
                    ps.setLong(6, id);
                    ps.executeUpdate();
                }
            } else {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO yoo_discovered (mac, uuid, serial, status, inventory, source, "
                        + "first_seen, last_seen, reports) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)", Statement.RETURN_GENERATED_KEYS)) {
                    ps.setString(1, mac);
                    ps.setString(2, uuid.orElse(null));
                    ps.setString(3, inventory.serial().orElse(null));
                    ps.setString(4, DiscoveredMachine.Status.NEW.key());
                    ps.setString(5, inventory.json());
                    ps.setString(6, source.map(x -> clip(x, 64)).orElse(null));
                    ps.setLong(7, at.toEpochMilli());
                    ps.setLong(8, at.toEpochMilli());
                    ps.executeUpdate();
                    try (ResultSet keys = ps.getGeneratedKeys()) {
                        keys.next();
                        id = keys.getLong(1);
                    }
                }
            }
            if (!others.isEmpty()) {
                for (DiscoveredMachine o : others) {
                    String what = o.mac().equals(mac) ? "MAC " + mac : "UUID " + uuid.orElse("?");
                    hold(c, o.id(), what + " is also claimed by discovered machine #" + id);
                    hold(c, id, what + " is also claimed by discovered machine #" + o.id());
                }
            }
            return findDiscovered(c, id).orElseThrow();
        });
    }

    private static void hold(Connection c, long id, String reason) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE yoo_discovered SET status = ?, held_reason = ? WHERE id = ?")) {
            ps.setString(1, DiscoveredMachine.Status.HELD.key());
            ps.setString(2, clip(reason, 300));
            ps.setLong(3, id);
            ps.executeUpdate();
        }
    }

    private static Optional<DiscoveredMachine> findDiscovered(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + DISCOVERED_COLUMNS + " FROM yoo_discovered WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(discovered(rs)) : Optional.empty();
            }
        }
    }

    private static DiscoveredMachine discovered(ResultSet rs) throws SQLException {
        return new DiscoveredMachine(rs.getLong(1), rs.getString(2), Optional.ofNullable(rs.getString(3)), Optional.ofNullable(rs.getString(4)),
                DiscoveredMachine.Status.fromKey(rs.getString(5)), Optional.ofNullable(rs.getString(6)), rs.getString(7),
                Optional.ofNullable(rs.getString(8)), Instant.ofEpochMilli(rs.getLong(9)), Instant.ofEpochMilli(rs.getLong(10)), rs.getInt(11));
    }

    @Override
    public List<DiscoveredMachine> discovered() {
        return read(c -> {
            List<DiscoveredMachine> out = new ArrayList<>();
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT " + DISCOVERED_COLUMNS + " FROM yoo_discovered ORDER BY id")) {
                while (rs.next()) {
                    out.add(discovered(rs));
                }
            }
            return out;
        });
    }

    @Override
    public Optional<DiscoveredMachine> discovered(long id) {
        return read(c -> findDiscovered(c, id));
    }

    @Override
    public Optional<DiscoveredMachine> discoveredByMac(String mac) {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + DISCOVERED_COLUMNS + " FROM yoo_discovered WHERE mac = ? ORDER BY id DESC")) {
                ps.setMaxRows(1);
                ps.setString(1, mac);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(discovered(rs)) : Optional.<DiscoveredMachine>empty();
                }
            }
        });
    }

    @Override
    public boolean setDiscoveryStatus(long id, DiscoveredMachine.Status status) {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE yoo_discovered SET status = ? WHERE id = ?")) {
                ps.setString(1, status.key());
                ps.setLong(2, id);
                return ps.executeUpdate() > 0;
            }
        });
    }

    private interface Query<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T read(Query<T> q) {
        requireRunning();
        synchronized (readLock) {
            try {
                if (readConn == null) {
                    readConn = open();
                    readConn.setAutoCommit(true);
                }
                return q.run(readConn);
            } catch (SQLException e) {
                if (!valid(readConn)) {
                    // the database went away: the next read opens a fresh connection (this one is not retried,
                    // it may have been a write whose outcome is unknown)
                    close(readConn);
                    readConn = null;
                }
                throw new StateStoreException("state database query failed: " + e.getMessage(), e);
            }
        }
    }

    private void requireRunning() {
        if (!running) {
            throw new IllegalStateException("state store is not running");
        }
    }

    private void failQueued(RuntimeException why) {
        Pending p;
        while ((p = queue.poll()) != null) {
            p.done().completeExceptionally(why);
        }
    }

    private void rollbackQuietly() {
        try {
            writeConn.rollback();
        } catch (SQLException e) {
            LOG.debug("rollback failed", e);
        }
    }

    private void closeQuietly() {
        close(readConn);
        close(writeConn);
        readConn = null;
        writeConn = null;
    }

    private static void close(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.debug("close failed", e);
            }
        }
    }
}
