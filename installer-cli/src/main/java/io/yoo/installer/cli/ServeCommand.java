package io.yoo.installer.cli;

import io.yoo.installer.core.assets.AssetCatalog;
import io.yoo.installer.core.boot.MachineTokens;
import io.yoo.installer.core.cluster.ClusterDhcp;
import io.yoo.installer.core.cluster.ClusterDhcp6;
import io.yoo.installer.core.cluster.LiveCluster;
import io.yoo.installer.core.discovery.Enrollment;
import io.yoo.installer.core.readdress.AddressChange;
import io.yoo.installer.core.config.secrets.ClusterSecrets;
import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.descriptor.DhcpMode;
import io.yoo.installer.core.descriptor.InstallNetwork;
import io.yoo.installer.core.descriptor.Ipv6Segment;
import io.yoo.installer.api.lifecycle.Lifecycle;
import io.yoo.installer.api.lifecycle.LifecycleGroup;
import io.yoo.installer.api.metrics.ServerMetrics;
import io.yoo.installer.core.state.ForeignDhcpServers;
import io.yoo.installer.core.state.ServerHeartbeats;
import io.yoo.installer.core.state.ServerLiveness;
import io.yoo.installer.core.state.ServiceAddressLock;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.core.state.ServerDirectory;
import io.yoo.installer.core.state.JdbcConfig;
import io.yoo.installer.core.state.JdbcLease6Ledger;
import io.yoo.installer.core.state.JdbcLeaseLedger;
import io.yoo.installer.core.state.JdbcLeaseMirror;
import io.yoo.installer.core.state.LeaseSource;
import io.yoo.installer.core.state.JdbcStateStore;
import io.yoo.installer.dhcp.lease.LeaseStore;
import io.yoo.installer.dhcp.probe.DhcpProbe;
import io.yoo.installer.dhcp.probe.RogueDhcpDetector;
import io.yoo.installer.core.descriptor.AdminSurface;
import io.yoo.installer.http.AdminListener;
import io.yoo.installer.http.HttpConfig;
import io.yoo.installer.http.HttpServer;
import io.yoo.installer.http.TlsConfig;
import io.yoo.installer.http.HttpServices;
import io.yoo.installer.http.metrics.ProcessMetrics;
import io.yoo.installer.tftp.server.TftpServer;
import io.yoo.installer.tftp.server.TftpServerConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.BindException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import java.util.stream.Collectors;
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
        exitCodeList = {"0:stopped normally", "1:the descriptor has mistakes",
            "3:the host does not fit (port, permission, interface, address), or the state database is unreachable at start", "4:internal error"})
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

    @Option(names = "--bind", defaultValue = "0.0.0.0",
            description = "Address the TFTP and HTTP servers listen on (default ${DEFAULT-VALUE}; :: — IPv4 and IPv6 — with network.ipv6).")
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
        applyUnprivileged();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<ClusterDescriptor> loaded = source.load(err);
        if (loaded.isEmpty()) {
            return Yoo.EXIT_INVALID;
        }
        ClusterDescriptor d = loaded.get();
        if (d.ipv6().isPresent() && spec.commandLine().getParseResult().matchedOption("--bind") == null) {
            bind = "::"; // machines on the IPv6 install link fetch over IPv6; a dual-stack socket serves IPv4 as before
        }
        List<String> problems = noHostChecks ? List.of() : StartupChecks.check(d);
        if (!problems.isEmpty()) {
            problems.forEach(p -> err.println("yoo serve: " + p));
            return Yoo.EXIT_ENVIRONMENT;
        }
        if (!unprivileged && d.server().databaseUrl().isPresent() && d.network().iface() != null) { // first: even if the start fails
            d.network().serviceAddress().ifPresent(vip -> ServiceAddressHolder.removeLeftover(d.network().iface(), vip));
        }
        Optional<String> noDatabase = StateDatabase.unreachableAtStart(StateDatabase.of(d));
        if (noDatabase.isPresent()) {
            err.println("yoo serve: " + noDatabase.get());
            return Yoo.EXIT_ENVIRONMENT;
        }
        Served served = assemble(d, out);
        try {
            served.all().start();
        } catch (LifecycleGroup.StartFailure f) {
            err.println("yoo serve: cannot start " + f.component().name() + ": " + explain(f.component(), f.reason()));
            return Yoo.EXIT_ENVIRONMENT;
        }
        // one write: whoever watches the output for "started in" (a supervisor, a test) reads the whole banner with it
        StringWriter banner = new StringWriter();
        printBanner(new PrintWriter(banner), d, served, (System.nanoTime() - t0) / 1e9);
        out.print(banner);
        out.flush();
        awaitShutdown(served.all());
        return Yoo.EXIT_OK;
    }

    /** What {@link #assemble} built: every component in start order, and what the banner tells. */
    private record Served(LifecycleGroup all, HttpServer http, TftpServer tftp, Path tftpDir, boolean dhcpOn, boolean rogueWatch,
            boolean dhcp6On, boolean rogue6Watch) {}

    private void applyUnprivileged() {
        if (unprivileged) {
            noDhcp = true;
            noHostChecks = true;
            if (spec.commandLine().getParseResult().matchedOption("--tftp-port") == null) {
                tftpPort = 6969;
            }
        }
    }

    /**
     * Prepares the state directory and builds every component, nothing started: state store, lease
     * mirror, the live cluster, HTTP, TFTP, DHCP, the rogue-DHCP watch, the descriptor watcher.
     */
    private Served assemble(ClusterDescriptor d, PrintWriter out) throws IOException {
        Path state = d.server().stateDir();
        StateDirectory.ownerOnlyFromNowOn(); // before any state file exists: all of them 0600
        StateDirectory.prepare(state);
        JdbcConfig db = StateDatabase.of(d);
        ServerSecrets shared = ServerSecrets.open(d, db, out); // state dir, or sealed in the database (server.secretKeyFile)
        MachineTokens tokens = shared.tokens();
        Supplier<ClusterSecrets> secrets = shared.cluster();
        JdbcStateStore store = new JdbcStateStore(db);
        if (db.isPostgres()) { // while PostgreSQL is unreachable, machine events wait in the state directory (README: PostgreSQL outages)
            store.withSpool(state.resolve("store-spool.bin"), JdbcStateStore.DEFAULT_SPOOL_BYTES);
        }
        JdbcLeaseMirror leaseMirror = new JdbcLeaseMirror(db);
        // several servers on one PostgreSQL answer from its leases (committed before each ACK); one with H2 mirrors its journal
        Optional<JdbcLeaseLedger> ledger = db.isPostgres() ? Optional.of(new JdbcLeaseLedger(db)) : Optional.empty();
        LeaseSource leaseSource = ledger.<LeaseSource>map(l -> l).orElse(leaseMirror);
        // several servers on one PostgreSQL: each writes its heartbeat, lists the others, and does not take them for rogue DHCP servers
        Optional<ServerHeartbeats> heartbeats = db.isPostgres()
                ? Optional.of(new ServerHeartbeats(db, hostName(), List.of(d.network().serverAddress()), VersionProvider.version()))
                : Optional.empty();
        store.addListener(new MachineEventLog("json".equals(logFormat))::changed);
        LiveCluster cluster = new LiveCluster(d, tokens, secrets, store);
        ProcessMetrics metrics = new ProcessMetrics();
        metrics.bind(store);
        metrics.buildInfo(VersionProvider.version(), VersionProvider.commitOrNull());
        ForeignDhcpServers foreignDhcp = new ForeignDhcpServers(); // the rogue-DHCP watch's findings: metric, API, UI banner

        List<Lifecycle> components = new ArrayList<>();
        components.add(store);
        components.add(ledger.<Lifecycle>map(l -> l).orElse(leaseMirror)); // after the store, which migrates the schema; stopped after DHCP
        heartbeats.ifPresent(components::add); // before the rogue-DHCP watch: its first probe knows the peers
        components.add(cluster); // reads the MACs earlier runs learned from the store, before any server asks
        HttpServer http = new HttpServer(httpConfig(d),
                HttpServices.of(cluster.artifacts(), tokens, store, cluster.directory())
                        .withAssetGate(AssetCatalog.open(d.server().assetDir())::refusal).withLeases(leaseSource)
                        .withSightings(cluster::observe).withMetrics(metrics).withForeignDhcp(foreignDhcp)
                        .withServers(heartbeats.<ServerDirectory>map(h -> h).orElse(ServerDirectory.NONE))
                        .withBmcs(new DescriptorBmcs(() -> cluster.current().descriptor(), System.getenv()))
                        .withEnrollment(new Enrollment(cluster, store, Clock.systemUTC()))
                        .withAddressChange(new AddressChange(cluster, leaseSource, Clock.systemUTC())));
        components.add(http);
        // after HTTP (it answers as soon as the address arrives), stopped before it (the address goes first)
        Optional<ServiceAddressHolder> holder = serviceAddress(d, db, heartbeats);
        holder.ifPresent(h -> {
            metrics.bindServiceAddress(h::held);
            components.add(h);
        });
        Path tftpDir = tftpRoot != null ? tftpRoot : defaultTftpRoot(d.server().assetDir());
        TftpServer tftp = noTftp ? null : tftp(cluster, tftpDir, metrics);
        Optional.ofNullable(tftp).ifPresent(components::add);
        if (tftp != null) { // TFTP answers from the service address what was asked there (PXE ROMs drop DATA from another address)
            holder.ifPresent(h -> h.withUser(new ServiceAddressHolder.AddressUser() {
                @Override
                public void added(InetAddress a) throws IOException {
                    tftp.listenOn(a);
                }

                @Override
                public void removed(InetAddress a) {
                    tftp.stopListeningOn(a);
                }
            }));
        }
        boolean dhcpOn = !noDhcp && d.network().dhcpMode() != DhcpMode.OFF;
        if (dhcpOn) {
            ClusterDhcp dhcp = new ClusterDhcp(cluster, state, metrics, ledger.isPresent() ? LeaseStore.Listener.NONE
                    : new LeaseMirrorListener(leaseMirror), ledger.map(l -> l));
            components.add(dhcp);
            // a pair on one PostgreSQL load-balances (RFC 3074 buckets) while both are alive; after DHCP started, stopped before it
            heartbeats.filter(h -> d.network().dhcpMode() == DhcpMode.FULL).ifPresent(h -> {
                ServerLiveness live = new ServerLiveness(db, h.id(),
                        d.network().subnets().stream().map(s -> s.cidr().toString()).sorted().collect(Collectors.joining(",")));
                dhcp.withShare(live);
                components.add(live);
            });
        }
        // DHCPv6 only as the full server: in proxy mode another server owns the addresses
        boolean dhcp6On = dhcpOn && d.network().dhcpMode() == DhcpMode.FULL && d.ipv6().isPresent();
        boolean rogue6 = dhcp6On && d.network().iface() != null;
        if (dhcp6On) {
            // several servers on one PostgreSQL give each pool address to one client: its yoo_lease6 is the truth, as yoo_lease for v4
            Optional<JdbcLease6Ledger> ledger6 = db.isPostgres() ? Optional.of(new JdbcLease6Ledger(db)) : Optional.empty();
            ledger6.ifPresent(components::add); // before DHCPv6, which reads it at start; stopped after it
            ClusterDhcp6 dhcp6 = new ClusterDhcp6(cluster, state, metrics, ledger6.map(l -> l));
            heartbeats.ifPresent(h -> h.withDhcp6Duid(dhcp6.duid().toHex()));
            components.add(dhcp6);
            if (rogue6) { // after DHCPv6: its first probe sees our own answer, which it must tell from foreign ones
                components.add(RogueDhcp6Watch.of(d.network().iface(), dhcp6.duid(), foreignDhcp, heartbeats));
            }
        }
        Optional<RogueDhcpDetector> rogue = dhcpOn ? rogueWatch(d.network(), foreignDhcp) : Optional.empty();
        heartbeats.ifPresent(h -> rogue.ifPresent(r -> r.withPeers(h::peerAddresses)));
        rogue.ifPresent(components::add);
        if (d.source() != null && Files.isRegularFile(d.source())) {
            // enrolled.yml too: hand edits of it are served like hand edits of the descriptor
            List<Path> watched = new ArrayList<>(List.of(d.source()));
            d.machinesFrom().ifPresent(watched::add);
            components.add(new DescriptorWatcher(watched, () -> cluster.reload(d.source())));
        }
        return new Served(new LifecycleGroup("serve", components), http, tftp, tftpDir, dhcpOn, rogue.isPresent(), dhcp6On, rogue6);
    }

    /** {@code network.serviceAddress}: held here while this server holds its lock in PostgreSQL (not in a look without root). */
    private Optional<ServiceAddressHolder> serviceAddress(ClusterDescriptor d, JdbcConfig db, Optional<ServerHeartbeats> heartbeats) {
        Optional<Ipv4> vip = d.network().serviceAddress();
        if (vip.isEmpty() || heartbeats.isEmpty()) {
            return Optional.empty(); // without PostgreSQL the descriptor is refused
        }
        heartbeats.get().withServiceAddress(vip.get());
        if (unprivileged) {
            LOG.warn("--unprivileged: not taking part in holding service address {} (adding it needs CAP_NET_ADMIN)", vip.get());
            return Optional.empty();
        }
        return Optional.of(new ServiceAddressHolder(new ServiceAddressLock(db, vip.get(), heartbeats.get().id()), d.network().iface(),
                vip.get()));
    }

    /** This host's name for the heartbeat row (with the install-network address it names the server). */
    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    /** HTTP on {@code --bind}; with {@code server.adminBind} the API, UI and metrics on their own listener (TLS if given). */
    private HttpConfig httpConfig(ClusterDescriptor d) {
        HttpConfig c = HttpConfig.plain(bind, d.server().httpPort(), d.server().assetDir(), d.server().stateDir());
        return d.server().admin().map(a -> c.withAdmin(new AdminListener(a.bind().toString(), a.port(), a.tls().map(ServeCommand::tls))))
                .orElse(c);
    }

    private static TlsConfig tls(AdminSurface.Tls t) {
        return t.keystore().map(ks -> new TlsConfig(ks, t.passwordEnv().map(System::getenv).orElse("")))
                .orElseGet(() -> TlsConfig.pem(t.cert().orElseThrow(), t.key().orElseThrow()));
    }

    private TftpServer tftp(LiveCluster cluster, Path tftpDir, ServerMetrics metrics) {
        // without iPXE binaries everything else still works (UI, API, HTTP boot): say so once, don't refuse to start
        IpxeBinaries.warning(tftpDir).ifPresent(LOG::warn);
        TftpServer tftp = new TftpServer(TftpServerConfig.defaults(tftpDir).withBind(InetAddress.ofLiteral(bind), tftpPort),
                cluster::virtualFile, new TftpSightings(cluster, tftpDir)).withMetrics(metrics);
        return tftp;
    }

    /** Full DHCP on a named interface: watch for another DHCP server answering our machines. */
    private static Optional<RogueDhcpDetector> rogueWatch(InstallNetwork net, ForeignDhcpServers foreignDhcp) {
        if (net.dhcpMode() != DhcpMode.FULL || net.iface() == null) {
            return Optional.empty();
        }
        return Optional.of(new RogueDhcpDetector(new DhcpProbe(net.iface()), net.iface(), Set.of(net.serverAddress()),
                Set.of(), Duration.ofMinutes(5), Duration.ofSeconds(2),
                foreign -> foreign.forEach(a -> LOG.error("ANOTHER DHCP SERVER on {}: {} — machines may get its answers instead of ours;"
                        + " find it and switch it off, or use network.dhcp: proxy", net.iface(), a)))
                .withResults(found -> foreignDhcp.update(found.stream().map(a -> new ForeignDhcpServers.Server(
                        a.serverId().orElse(a.source()).toString(), a.describe(), Instant.now())).toList())));
    }

    private void printBanner(PrintWriter out, ClusterDescriptor d, Served s, double startSeconds) {
        Path state = d.server().stateDir();
        // machines use the install-network address; a look with --unprivileged happens on this host
        String uiHost = StartupChecks.isLocal(d.network().serverAddress()) ? d.network().serverAddress().toString() : "127.0.0.1";
        String ui = d.server().admin().map(a -> (a.tls().isPresent() ? "https://" : "http://") + a.bind() + ":" + s.http().adminPort() + "/")
                .orElse("http://" + uiHost + ":" + s.http().port() + "/");
        out.printf("yoo serve: cluster %s (%s), %d machines, started in %.2f s%n", d.name(), d.architecture().key(),
                d.machines().size(), startSeconds);
        out.printf("  DHCP  %s%n", s.dhcpOn() ? d.network().dhcpMode().key() + " on " + d.network().iface() + segments(d)
                + (s.rogueWatch() ? " (watching for other DHCP servers)" : "") : "off");
        if (s.dhcp6On()) {
            var v6 = d.ipv6().orElseThrow();
            out.printf("  DHCPv6 on %s, prefix %s, server [%s], %d machines reserved (the router sends RAs with M=1)%s%n",
                    d.network().iface(), String.join(", prefix ", v6.segments().stream().map(Ipv6Segment::describe).toList()),
                    v6.server(), v6.addresses().size(), s.rogue6Watch() ? " (watching for other DHCPv6 servers)" : "");
        }
        d.network().serviceAddress().ifPresent(a -> out.printf("  service address %s: machines are sent there; held by one live server"
                + " of the shared database at a time (GET /api/v1/servers says which)%n", a));
        out.printf("  TFTP  %s%n", s.tftp() != null ? bind + ":" + s.tftp().port() + " from " + s.tftpDir()
                + " (+ pxelinux.cfg/, grub/ rendered per machine)" : "off");
        out.printf("  HTTP  %s:%d: boot scripts, configs, /assets/ (verified only) from %s%s%n", bind, s.http().port(), d.server().assetDir(),
                d.server().admin().isPresent() ? "; no API/UI/metrics here" : "");
        out.printf("  UI    %s   API %sapi/v1/machines   metrics %smetrics%n", ui, ui, ui);
        out.printf("  state %s%n", state);
        s.http().adminToken().ifPresent(t -> out.print(AdminTokenNotice.text(t, state.resolve("admin-token"), ui, AdminTokenNotice.onTerminal())));
        out.flush();
    }

    /** Serves until SIGTERM/Ctrl-C, then stops every component in reverse order. */
    private static void awaitShutdown(LifecycleGroup all) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("stopping");
            all.stop();
            stopped.countDown();
        }, "yoo-shutdown"));
        stopped.await();
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
        if (c instanceof ClusterDhcp6 && permission) {
            return StartupChecks.privilegedPortHint("DHCPv6", 547);
        }
        if (c instanceof ClusterDhcp && permission) {
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


    /** ", subnet 10.12.0.0/24, pool ..." per segment, with the relay of the ones behind a router. */
    private static String segments(ClusterDescriptor d) {
        StringBuilder b = new StringBuilder();
        for (var seg : d.network().subnets()) {
            b.append(", subnet ").append(seg.cidr()).append(seg.pool().map(p -> " pool " + p).orElse(""))
                    .append(seg.relay().map(r -> " via relay " + r).orElse(""));
        }
        return b.toString();
    }
}
