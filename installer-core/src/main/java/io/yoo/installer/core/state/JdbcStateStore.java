package io.yoo.installer.core.state;

import io.yoo.installer.core.discovery.DiscoveredMachine;
import io.yoo.installer.core.discovery.Inventory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * <p>Reads use a separate connection. With embedded H2 (one server owns the database) the states
 * are also cached in memory for {@link #stateOf}, which the boot policy calls per packet.
 */
public final class JdbcStateStore implements StateStore, AccessStore, InstallLogStore, DiscoveryStore {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcStateStore.class);
    private static final int MAX_BATCH = 512;
    private static final long WRITE_TIMEOUT_SECONDS = 30;
    private static final String COLUMNS = "name, machine_state, phase_name, phase_status, detail, generation, state_since, "
            + "updated_at, attempt_started_at, installed_at, last_mac, last_ip";

    private final JdbcConfig config;
    private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(16_384);
    private final List<StateListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, MachineRecord> cache = new ConcurrentHashMap<>();
    private final boolean cached;
    private final Object readLock = new Object();
    private volatile boolean running;
    private Connection writeConn;
    private Connection readConn;
    private Thread writer;

    private record Pending(ProgressEvent event, CompletableFuture<Transition> done) {}

    public JdbcStateStore(JdbcConfig config) {
        this.config = config;
        this.cached = !config.isPostgres();
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
        try {
            writeConn = open();
            SchemaMigrator.migrate(writeConn, config.isPostgres());
            writeConn.setAutoCommit(false);
            readConn = open();
            readConn.setAutoCommit(true);
            if (cached) {
                for (MachineRecord r : queryMachines()) {
                    cache.put(r.name(), r);
                }
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
        return DriverManager.getConnection(config.url(), config.user(), config.password());
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
        w.interrupt();
        try {
            w.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        failQueued(new IllegalStateException("state store stopped"));
        synchronized (this) {
            closeQuietly();
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
        Pending p = new Pending(event, new CompletableFuture<>());
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
        Pending p = new Pending(event, new CompletableFuture<>());
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
                commitBatch(batch);
                batch.clear();
            }
        }
    }

    private void commitBatch(List<Pending> batch) {
        try {
            List<Transition> results = applyAll(batch);
            // cache and listeners first: a caller that got its answer must read its own write
            afterCommit(results);
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).done().complete(results.get(i));
            }
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly();
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

    private List<Transition> applyAll(List<Pending> batch) throws SQLException {
        Map<String, MachineRecord> current = new HashMap<>();
        Map<String, Boolean> exists = new HashMap<>();
        List<Transition> results = new ArrayList<>(batch.size());
        try (PreparedStatement select = writeConn.prepareStatement("SELECT " + COLUMNS + " FROM yoo_machine WHERE name = ? FOR UPDATE");
                PreparedStatement update = writeConn.prepareStatement("UPDATE yoo_machine SET machine_state=?, phase_name=?, "
                        + "phase_status=?, detail=?, generation=?, state_since=?, updated_at=?, attempt_started_at=?, "
                        + "installed_at=?, last_mac=?, last_ip=? WHERE name=?");
                PreparedStatement insert = writeConn.prepareStatement("INSERT INTO yoo_machine (machine_state, phase_name, "
                        + "phase_status, detail, generation, state_since, updated_at, attempt_started_at, installed_at, "
                        + "last_mac, last_ip, name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
                PreparedStatement event = writeConn.prepareStatement("INSERT INTO yoo_event (machine, generation, occurred_at, "
                        + "event_source, phase_name, event_status, detail, event_outcome, state_after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            Map<String, MachineRecord> dirty = new LinkedHashMap<>();
            for (Pending p : batch) {
                ProgressEvent e = p.event();
                MachineRecord before = current.get(e.machine());
                if (before == null) {
                    // embedded H2: this process is the only writer, the cache is the truth
                    before = cached ? cache.get(e.machine()) : null;
                    if (before == null) {
                        select.setString(1, e.machine());
                        try (ResultSet rs = select.executeQuery()) {
                            before = rs.next() ? read(rs) : null;
                        }
                    }
                    exists.put(e.machine(), before != null);
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

    private void afterCommit(List<Transition> results) {
        for (Transition t : results) {
            if (cached) {
                cache.put(t.after().name(), t.after());
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
        ps.setString(12, r.name());
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
                Optional.ofNullable(rs.getString(11)), Optional.ofNullable(rs.getString(12)));
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
        return StateStore.super.stateOf(machine);
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
        read(c -> {
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
        });
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
        read(c -> {
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
        });
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
                return q.run(readConn);
            } catch (SQLException e) {
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
        for (Connection c : new Connection[] {readConn, writeConn}) {
            if (c != null) {
                try {
                    c.close();
                } catch (SQLException e) {
                    LOG.debug("close failed", e);
                }
            }
        }
        readConn = null;
        writeConn = null;
    }
}
