package io.yoo.installer.cli;

import io.yoo.installer.core.assets.AssetCatalog;
import io.yoo.installer.core.boot.MachineTokens;
import io.yoo.installer.core.boot.SwitchableBootPolicy;
import io.yoo.installer.core.boot.TokenSecretFile;
import io.yoo.installer.core.config.secrets.ClusterSecrets;
import io.yoo.installer.core.config.secrets.SecretsGenerator;
import io.yoo.installer.core.config.secrets.SecretsStore;
import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.descriptor.DescriptorError;
import io.yoo.installer.core.descriptor.DescriptorException;
import io.yoo.installer.core.descriptor.DescriptorLoader;
import io.yoo.installer.core.descriptor.DhcpMode;
import io.yoo.installer.core.lifecycle.Lifecycle;
import io.yoo.installer.core.match.LearnedMacs;
import io.yoo.installer.core.metrics.ServerMetrics;
import io.yoo.installer.core.net.Ipv4;
import io.yoo.installer.core.render.SwitchableArtifacts;
import io.yoo.installer.core.state.ForeignDhcpServers;
import io.yoo.installer.core.state.JdbcConfig;
import io.yoo.installer.core.state.JdbcLeaseMirror;
import io.yoo.installer.core.state.JdbcStateStore;
import io.yoo.installer.dhcp.lease.LeaseStore;
import io.yoo.installer.dhcp.probe.DhcpProbe;
import io.yoo.installer.dhcp.probe.RogueDhcpDetector;
import io.yoo.installer.dhcp.server.DescriptorDhcpConfig;
import io.yoo.installer.dhcp.server.DhcpServer;
import io.yoo.installer.http.HttpConfig;
import io.yoo.installer.http.HttpServer;
import io.yoo.installer.http.HttpServices;
import io.yoo.installer.http.machines.MachineDirectory;
import io.yoo.installer.http.metrics.HttpMetrics;
import io.yoo.installer.tftp.server.TftpServer;
import io.yoo.installer.tftp.server.TftpServerConfig;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code yoo serve cluster.yml}: DHCP, TFTP and HTTP in one process, from one descriptor, with
 * the state store and the web UI. Reloads the descriptor on change or SIGHUP (an invalid one is
 * rejected with its errors and the old one kept); stops gracefully on SIGTERM/Ctrl-C.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        // one string per paragraph: picocli wraps each element on its own, so a sentence split
        // across elements breaks mid-line
        description = "Serve a cluster: DHCP (full or proxy), TFTP and HTTP in one process, with the state store, "
                + "the REST API and the live web UI. Machines that PXE-boot on the install network are installed with no hands.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped normally", "1:the descriptor has mistakes", "3:the host does not fit (port, permission, interface, address)",
            "4:internal error"})
final class ServeCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger("yoo.serve");

    @Spec
    CommandSpec spec;

    @Mixin
    DescriptorSource source;

    @Option(names = "--no-dhcp", description = "Do not run the DHCP server (another one points machines here).")
    boolean noDhcp;

    @Option(names = "--no-tftp", description = "Do not run the TFTP server.")
    boolean noTftp;

    @Option(names = "--tftp-root", paramLabel = "DIR",
            description = "Directory with the iPXE binaries (undionly.kpxe, snponly.efi, ipxe.efi). Default: ASSETS/ipxe when it exists, else /usr/lib/ipxe.")
    Path tftpRoot;

    @Option(names = "--tftp-port", defaultValue = "69", description = "TFTP port (default ${DEFAULT-VALUE}).")
    int tftpPort;

    @Option(names = "--bind", defaultValue = "0.0.0.0", description = "Address the TFTP and HTTP servers listen on (default ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--no-host-checks", description = "Skip the interface and server-address checks (e.g. behind NAT or a relay).")
    boolean noHostChecks;

    @Option(names = "--unprivileged", description = "A look without root on any host: no DHCP, TFTP on port 6969, no interface/address checks. "
            + "The UI, REST API, metrics and every rendered boot file are served as in production (try: --example dev --unprivileged).")
    boolean unprivileged;

    @Option(names = "--log-format", defaultValue = "text", description = "Machine event lines: text or json (default ${DEFAULT-VALUE}).")
    String logFormat;

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        if (unprivileged) {
            noDhcp = true;
            noHostChecks = true;
            if (spec.commandLine().getParseResult().matchedOption("--tftp-port") == null) {
                tftpPort = 6969;
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<ClusterDescriptor> loaded = source.load(err);
        if (loaded.isEmpty()) {
            return Yoo.EXIT_INVALID;
        }
        ClusterDescriptor d = loaded.get();
        if (!noHostChecks) {
            List<String> problems = StartupChecks.check(d);
            if (!problems.isEmpty()) {
                problems.forEach(p -> err.println("yoo serve: " + p));
                return Yoo.EXIT_ENVIRONMENT;
            }
        }
        Path state = d.server().stateDir();
        StateDirectory.ownerOnlyFromNowOn(); // before any state file exists: all of them 0600
        StateDirectory.prepare(state);
        MachineTokens tokens = TokenSecretFile.loadOrCreate(state);
        Supplier<ClusterSecrets> secrets = BackgroundSecrets.loadOrStart(new SecretsStore(state), new SecretsGenerator(), out);
        JdbcConfig db = d.server().databaseUrl()
                .map(url -> new JdbcConfig(url, System.getenv().getOrDefault("YOO_DB_USER", "yoo"), System.getenv("YOO_DB_PASSWORD")))
                .orElse(JdbcConfig.h2File(state));
        JdbcStateStore store = new JdbcStateStore(db);
        JdbcLeaseMirror leaseMirror = new JdbcLeaseMirror(db);
        MachineEventLog eventLog = new MachineEventLog("json".equals(logFormat));
        store.addListener(eventLog::changed);

        LearnedMacs learned = new LearnedMacs();
        ServeWiring wiring = ServeWiring.of(d, tokens, secrets, store, learned);
        SwitchableBootPolicy policy = new SwitchableBootPolicy(wiring.policy());
        SwitchableArtifacts artifacts = new SwitchableArtifacts(wiring.renderers().all());
        SwitchableDirectory directory = new SwitchableDirectory(MachineDirectory.of(d));
        AssetCatalog catalog = AssetCatalog.open(d.server().assetDir());
        HttpMetrics metrics = new HttpMetrics();
        metrics.bind(store);
        metrics.buildInfo(VersionProvider.version(), VersionProvider.commitOrNull());
        ForeignDhcpServers foreignDhcp = new ForeignDhcpServers(); // the rogue-DHCP watch's findings: metric, API, UI banner

        List<Lifecycle> components = new ArrayList<>();
        components.add(store);
        components.add(leaseMirror); // after the store, which migrates the schema; stopped after DHCP
        HttpServer http = new HttpServer(HttpConfig.plain(bind, d.server().httpPort(), d.server().assetDir(), state),
                HttpServices.of(artifacts, tokens, store, directory).withAssetGate(catalog::refusal).withLeases(leaseMirror)
                        .withSightings(policy::observe).withMetrics(metrics).withForeignDhcp(foreignDhcp));
        components.add(http);
        TftpServer tftp = null;
        Path tftpDir = tftpRoot != null ? tftpRoot : defaultTftpRoot(d.server().assetDir());
        if (!noTftp) {
            // without iPXE binaries everything else still works (UI, API, HTTP boot): say so once, don't refuse to start
            IpxeBinaries.warning(tftpDir).ifPresent(LOG::warn);
            tftp = new TftpServer(TftpServerConfig.defaults(tftpDir).withBind(InetAddress.ofLiteral(bind), tftpPort),
                    policy::virtualFile, new TftpSightings(policy, tftpDir)).withMetrics(metrics);
            components.add(tftp);
        }
        DhcpHolder dhcp = new DhcpHolder(d, state, policy, wiring, metrics, new LeaseMirrorListener(leaseMirror));
        boolean dhcpOn = !noDhcp && d.network().dhcpMode() != DhcpMode.OFF;
        if (dhcpOn) {
            components.add(dhcp);
        }
        RogueDhcpDetector rogue = null;
        if (dhcpOn && d.network().dhcpMode() == DhcpMode.FULL && d.network().iface() != null) {
            rogue = new RogueDhcpDetector(new DhcpProbe(d.network().iface()), d.network().iface(), Set.of(d.network().serverAddress()),
                    Set.of(), Duration.ofMinutes(5), Duration.ofSeconds(2),
                    foreign -> foreign.forEach(a -> LOG.error("ANOTHER DHCP SERVER on {}: {} — machines may get its answers instead of ours;"
                            + " find it and switch it off, or use network.dhcp: proxy", d.network().iface(), a)))
                    .withResults(found -> foreignDhcp.update(found.stream().map(a -> new ForeignDhcpServers.Server(
                            a.serverId().orElse(a.source()).toString(), a.describe(), Instant.now())).toList()));
            components.add(rogue);
        }
        for (Lifecycle c : components) {
            try {
                c.start();
            } catch (Exception e) {
                err.println("yoo serve: cannot start " + c.name() + ": " + explain(c, e));
                for (int i = components.indexOf(c) - 1; i >= 0; i--) {
                    components.get(i).stop();
                }
                return Yoo.EXIT_ENVIRONMENT;
            }
        }
        ServeWiring.seed(learned, d, store);
        DescriptorWatcher watcher = null;
        if (d.source() != null && Files.isRegularFile(d.source())) {
            watcher = new DescriptorWatcher(d.source(), () -> reload(d.source(), tokens, secrets, store, learned, policy, artifacts, directory, dhcp, dhcpOn));
            watcher.start();
            components.add(watcher);
        }

        double startSeconds = (System.nanoTime() - t0) / 1e9;
        // machines use the install-network address; a look with --unprivileged happens on this host
        String uiHost = StartupChecks.isLocal(d.network().serverAddress()) ? d.network().serverAddress().toString() : "127.0.0.1";
        String ui = "http://" + uiHost + ":" + http.port() + "/";
        out.printf("yoo serve: cluster %s (%s), %d machines, started in %.2f s%n", d.name(), d.architecture().key(),
                d.machines().size(), startSeconds);
        out.printf("  DHCP  %s%n", dhcpOn ? d.network().dhcpMode().key() + " on " + d.network().iface() + ", subnet " + d.network().subnet()
                + d.network().pool().map(p -> ", pool " + p).orElse("") + (rogue != null ? " (watching for other DHCP servers)" : "") : "off");
        out.printf("  TFTP  %s%n", tftp != null ? bind + ":" + tftp.port() + " from " + tftpDir + " (+ pxelinux.cfg/, grub/ rendered per machine)" : "off");
        out.printf("  HTTP  %s:%d: boot scripts, configs, /assets/ (verified only) from %s%n", bind, http.port(), d.server().assetDir());
        out.printf("  UI    %s   API %sapi/v1/machines   metrics %smetrics%n", ui, ui, ui);
        out.printf("  state %s%n", state);
        http.adminToken().ifPresent(t -> out.print(AdminTokenNotice.text(t, state.resolve("admin-token"), ui, AdminTokenNotice.onTerminal())));
        out.flush();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("stopping");
            for (int i = components.size() - 1; i >= 0; i--) {
                components.get(i).stop();
            }
            stopped.countDown();
        }, "yoo-shutdown"));
        stopped.await();
        return Yoo.EXIT_OK;
    }

    /** Reload: validate the new descriptor; keep the old one when it has mistakes. */
    private static synchronized void reload(Path file, MachineTokens tokens, Supplier<ClusterSecrets> secrets, JdbcStateStore store, LearnedMacs learned,
            SwitchableBootPolicy policy, SwitchableArtifacts artifacts, SwitchableDirectory directory, DhcpHolder dhcp, boolean dhcpOn) {
        ClusterDescriptor next;
        try {
            next = DescriptorLoader.load(file);
        } catch (DescriptorException e) {
            LOG.error("descriptor {} NOT reloaded, it has {} mistake(s); still serving the previous one:", file, e.errors().size());
            for (DescriptorError error : e.errors()) {
                LOG.error("  {}", error.format());
            }
            return;
        }
        try {
            ServeWiring w = ServeWiring.of(next, tokens, secrets, store, learned);
            artifacts.switchTo(w.renderers().all());
            directory.switchTo(MachineDirectory.of(next));
            policy.switchTo(w.policy());
            if (dhcpOn) {
                dhcp.reconfigure(next, w);
            }
            LOG.info("descriptor {} reloaded: {} machines", file, next.machines().size());
        } catch (RuntimeException e) {
            LOG.error("descriptor {} NOT reloaded: {}; still serving the previous one", file, e.getMessage());
        }
    }

    private static Path defaultTftpRoot(Path assetDir) {
        Path own = assetDir.resolve("ipxe");
        return Files.isDirectory(own) ? own : Path.of("/usr/lib/ipxe");
    }

    private String explain(Lifecycle c, Exception e) {
        Throwable t = e;
        while (t.getCause() != null && !(t instanceof BindException)) {
            t = t.getCause();
        }
        String msg = String.valueOf(e.getMessage());
        boolean permission = msg.contains("Permission denied") || msg.contains("EACCES") || t.getMessage() != null && t.getMessage().contains("Permission denied");
        if (c instanceof DhcpHolder && permission) {
            return StartupChecks.privilegedPortHint("DHCP", 67);
        }
        if (c instanceof TftpServer && permission) {
            return StartupChecks.privilegedPortHint("TFTP", tftpPort);
        }
        if (t instanceof BindException || msg.contains("Address already in use") || msg.contains("EADDRINUSE")) {
            return msg + " — another process holds the port (`ss -lnup` / `ss -lntp` shows which); stop it or choose another port";
        }
        return msg;
    }

    /**
     * The DHCP server of the current descriptor. A reload that changes the install network or the
     * reservations restarts it (a second: leases are in its journal); TFTP and HTTP stay up.
     */
    static final class DhcpHolder implements Lifecycle {
        private final Path state;
        private final SwitchableBootPolicy policy;
        private final ServerMetrics metrics; // outlives the servers of restarts: the counters never go back
        private ClusterDescriptor descriptor;
        private Set<Ipv4> reserved;
        private volatile DhcpServer server;
        private final LeaseStore.Listener leases;

        DhcpHolder(ClusterDescriptor d, Path state, SwitchableBootPolicy policy, ServeWiring wiring, ServerMetrics metrics,
                LeaseStore.Listener leases) {
            this.leases = leases;
            this.descriptor = d;
            this.state = state;
            this.policy = policy;
            this.metrics = metrics;
            this.reserved = wiring.policy().reservedAddresses();
        }

        @Override
        public String name() {
            return "dhcp";
        }

        @Override
        public synchronized void start() throws Exception {
            server = new DhcpServer(DescriptorDhcpConfig.from(descriptor.network(), state, reserved), policy).withLeaseListener(leases).withMetrics(metrics);
            server.start();
        }

        synchronized void reconfigure(ClusterDescriptor next, ServeWiring w) throws RuntimeException {
            Set<Ipv4> nextReserved = w.policy().reservedAddresses();
            boolean changed = !next.network().equals(descriptor.network()) || !nextReserved.equals(reserved);
            descriptor = next;
            reserved = nextReserved;
            if (changed && server != null) {
                LOG.info("install network or reservations changed: restarting DHCP");
                server.stop();
                try {
                    server = new DhcpServer(DescriptorDhcpConfig.from(next.network(), state, reserved), policy).withLeaseListener(leases).withMetrics(metrics);
                    server.start();
                } catch (Exception e) {
                    throw new IllegalStateException("DHCP did not restart: " + e.getMessage(), e);
                }
            }
        }

        @Override
        public synchronized void stop() {
            if (server != null) {
                server.stop();
                server = null;
            }
        }

        @Override
        public boolean isRunning() {
            return server != null && server.isRunning();
        }
    }
}
