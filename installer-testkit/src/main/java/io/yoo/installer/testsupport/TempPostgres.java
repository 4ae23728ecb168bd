package io.yoo.installer.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL cluster for one test class: {@code initdb} into a temp directory, a
 * server on 127.0.0.1 and an ephemeral port (trust authentication, superuser {@code yoo}),
 * stopped and deleted by {@link #close}. Tests may {@link #stopServer} and {@link #startServer} it again to
 * see what servers do while their database is away. As root (PostgreSQL refuses to run as root)
 * the cluster belongs to the {@code postgres} user and its tools run through {@code runuser}.
 * Without the PostgreSQL server binaries (Debian: postgresql) the test is skipped ({@link Peers}).
 */
public final class TempPostgres implements AutoCloseable {
    private final Path dir;
    private final Path bin;
    private final boolean asPostgresUser;
    private final int port;
    private final NetNs netns;
    private final String listen;
    private boolean frozen;

    private TempPostgres(Path dir, Path bin, boolean asPostgresUser, int port, NetNs netns, String listen) {
        this.dir = dir;
        this.bin = bin;
        this.asPostgresUser = asPostgresUser;
        this.port = port;
        this.netns = netns;
        this.listen = listen;
    }

    /** Creates and starts a cluster on 127.0.0.1 (a few seconds), or skips the test saying what is missing. */
    public static TempPostgres start() throws IOException, InterruptedException {
        return start(null, "127.0.0.1");
    }

    /**
     * Creates and starts a cluster inside {@code netns} (null: this host's network), listening on
     * {@code listen}, an address of that namespace.
     */
    public static TempPostgres start(NetNs netns, String listen) throws IOException, InterruptedException {
        Path bin = serverBinaries();
        Peers.require(bin != null, "PostgreSQL server binaries (initdb, pg_ctl; Debian package postgresql) not found");
        boolean root = Peers.isRoot();
        if (root) {
            Peers.requireCommands("runuser");
        }
        Path dir = Files.createTempDirectory("yoo-pg-");
        if (root) {
            UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
            Files.setOwner(dir, users.lookupPrincipalByName("postgres"));
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        TempPostgres pg = new TempPostgres(dir, bin, root, port, netns, listen);
        pg.run(60, bin.resolve("initdb").toString(), "-D", pg.data().toString(), "-U", "yoo", "--auth=trust", "-E", "UTF8", "--no-sync");
        // initdb trusts only local and loopback clients; servers in other namespaces of the test's own network too
        Files.writeString(pg.data().resolve("pg_hba.conf"), "host all all 0.0.0.0/0 trust\n", StandardOpenOption.APPEND);
        pg.startServer();
        return pg;
    }

    /** JDBC URL of the {@code postgres} database; user {@code yoo}, any password. */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + listen + ":" + port + "/postgres";
    }

    public String user() {
        return "yoo";
    }

    public int port() {
        return port;
    }

    /** Starts the server (again) on the same port and data; returns when it accepts connections. */
    public void startServer() throws IOException, InterruptedException {
        run(60, bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-l", dir.resolve("server.log").toString(), "-w", "-t", "60",
                "-o", "-p " + port + " -k " + dir + " -c listen_addresses=" + listen + " -c fsync=off", "start");
    }

    /** {@link #startServer} unless it runs (for tests that stop it and may fail before they start it again). */
    public void startServerIfStopped() throws IOException, InterruptedException {
        if (!Files.exists(data().resolve("postmaster.pid"))) {
            startServer();
        }
    }

    /** Stops the server at once (connections are cut, as when the database host goes away). */
    public void stopServer() throws IOException, InterruptedException {
        run(60, bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-m", "immediate", "-w", "-t", "60", "stop");
    }

    /**
     * Freezes the server: SIGSTOP to the postmaster (first, so it forks nothing more) and every
     * process under it. It still accepts TCP connections (the kernel's listen backlog) and keeps
     * the established ones open, but never answers: a database host that hangs. {@link #thaw}
     * resumes it; {@link #close} thaws it first.
     */
    public void freeze() throws IOException, InterruptedException {
        long postmaster = postmasterPid();
        signal("STOP", List.of(postmaster));
        frozen = true;
        signal("STOP", descendants(postmaster));
    }

    /** Resumes a {@link #freeze frozen} server: what clients sent meanwhile is answered now. */
    public void thaw() throws IOException, InterruptedException {
        if (frozen) {
            long postmaster = postmasterPid();
            signal("CONT", descendants(postmaster));
            signal("CONT", List.of(postmaster));
            frozen = false;
        }
    }

    private long postmasterPid() throws IOException {
        return Long.parseLong(Files.readAllLines(data().resolve("postmaster.pid"), StandardCharsets.UTF_8).getFirst().strip());
    }

    private static List<Long> descendants(long pid) {
        return ProcessHandle.of(pid).map(h -> h.descendants().map(ProcessHandle::pid).toList()).orElse(List.of());
    }

    private static void signal(String signal, List<Long> pids) throws IOException, InterruptedException {
        if (pids.isEmpty()) {
            return;
        }
        List<String> cmd = new ArrayList<>(List.of("kill", "-" + signal));
        pids.forEach(pid -> cmd.add(String.valueOf(pid)));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] output = p.getInputStream().readAllBytes();
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + " failed: " + new String(output, StandardCharsets.UTF_8));
        }
    }

    /**
     * Runs one SQL statement as the superuser with psql (through the server's Unix socket, so from
     * any network namespace) and returns its unaligned output, one row a line, fields split by |.
     */
    public String sql(String statement) throws IOException, InterruptedException {
        return run(30, bin.resolve("psql").toString(), "-h", dir.toString(), "-p", String.valueOf(port), "-U", "yoo", "-d", "postgres",
                "-v", "ON_ERROR_STOP=1", "-X", "-A", "-t", "-c", statement);
    }

    /** The server's log, for failure messages. */
    public String log() {
        try {
            return Files.readString(dir.resolve("server.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no server log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            thaw(); // a stopped postmaster would not stop
            if (Files.exists(data().resolve("postmaster.pid"))) {
                stopServer();
            }
        } finally {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private Path data() {
        return dir.resolve("data");
    }

    private String run(int seconds, String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        if (netns != null) {
            cmd.addAll(netns.prefixed()); // as root: runuser comes after
        }
        if (asPostgresUser) {
            cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] output = p.getInputStream().readAllBytes();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", cmd) + " did not finish within " + seconds + " s");
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed (exit " + p.exitValue() + "):\n" + new String(output, StandardCharsets.UTF_8)
                    + "\n" + log());
        }
        return new String(output, StandardCharsets.UTF_8);
    }

    /** The newest {@code /usr/lib/postgresql/N/bin} with initdb, else the directory of initdb on the PATH. */
    private static Path serverBinaries() throws IOException {
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                Path best = versions.filter(v -> v.getFileName().toString().matches("\\d+"))
                        .filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                        .max(Comparator.comparingInt(v -> Integer.parseInt(v.getFileName().toString()))).orElse(null);
                if (best != null) {
                    return best.resolve("bin");
                }
            }
        }
        Path initdb = Peers.which("initdb");
        return initdb == null ? null : initdb.toRealPath().getParent();
    }
}
