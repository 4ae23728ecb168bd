package io.yoo.installer.storm;

import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.descriptor.DescriptorException;
import io.yoo.installer.core.descriptor.DescriptorLoader;
import io.yoo.installer.core.descriptor.Machine;
import io.yoo.installer.core.boot.TokenSecretFile;
import io.yoo.installer.core.discovery.EnrollmentTokens;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code yoo storm}: the boot-storm load generator (a benchmark tool, hidden from the help).
 * {@code yoo storm descriptor} writes a cluster of N machines; {@code yoo storm run} plays them
 * all against a running {@code yoo serve} and checks the server's REST API says they are installed;
 * {@code yoo storm discover} has N unknown machines report their inventory at once (discovery).
 */
@Command(name = "storm", hidden = true, mixinStandardHelpOptions = true,
        description = "Boot-storm benchmark: play N machines' full install against a running `yoo serve`.",
        subcommands = {StormCommand.Descriptor.class, StormCommand.Run.class, StormCommand.Discover.class})
public final class StormCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("yoo storm: use `yoo storm descriptor` or `yoo storm run` (see --help)");
        return 2;
    }

    @Command(name = "descriptor", mixinStandardHelpOptions = true, description = "Write a descriptor with N machines in the server's /16.")
    static final class Descriptor implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE")
        Path file;

        @Option(names = "--machines", required = true)
        int machines;

        @Option(names = "--server", required = true, description = "the server's address (its /16 is the install network)")
        String server;

        @Option(names = "--interface", required = true, description = "the server's interface on the install network")
        String iface;

        @Option(names = "--http-port", defaultValue = "8080")
        int httpPort;

        @Option(names = "--state-dir", required = true)
        Path stateDir;

        @Option(names = "--asset-dir", required = true)
        Path assetDir;

        @Override
        public Integer call() throws Exception {
            Files.createDirectories(assetDir);
            new StormDescriptor(machines, Ipv4.parse(server), iface, httpPort, stateDir, assetDir).write(file);
            return 0;
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true, description = "Play every machine of the descriptor against `yoo serve`.")
    static final class Run implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "DESCRIPTOR")
        Path descriptor;

        @Option(names = "--relay", required = true,
                description = "this host's address on the install network: the relay socket binds it on port 67 (giaddr)")
        String relay;

        @Option(names = "--concurrency", defaultValue = "200", description = "machines in flight at once (default ${DEFAULT-VALUE})")
        int concurrency;

        @Option(names = "--tftp-port", defaultValue = "69")
        int tftpPort;

        @Option(names = "--timeout-ms", defaultValue = "5000", description = "TFTP retransmit / HTTP read timeout")
        int timeoutMillis;

        @Option(names = "--dhcp-timeout-ms", defaultValue = "4000",
                description = "DHCP retransmit timeout: DISCOVERs wait 1, 2, 4, 8 times it, REQUESTs a quarter, half, three quarters and"
                        + " once it (default ${DEFAULT-VALUE}: the PXE spec's 4, 8, 16, 32 s and 1, 2, 3, 4 s)")
        int dhcpTimeoutMillis;

        @Option(names = "--admin-token-file", description = "default: the descriptor's stateDir/admin-token")
        Path adminTokenFile;

        @Option(names = "--also-server",
                description = "another server of a pair on the same descriptor (repeatable): the relay copies every request to each, as dhcrelay A B")
        List<String> alsoServers = List.of();

        @Option(names = "--reboots", defaultValue = "0",
                description = "times a machine whose step failed boots again from PXE, as firmware does (default ${DEFAULT-VALUE})")
        int reboots;

        @Option(names = "--slice", paramLabel = "FROM:TO",
                description = "play only the descriptor's machines FROM to TO-1 (0-based), e.g. 0:100; the API check expects"
                        + " the count of done machines to grow by that many")
        String slice;

        @Option(names = "--acked-events", paramLabel = "FILE",
                description = "write every progress event a server acknowledged (2xx) as tab-separated machine, phase, status,"
                        + " message, outcome: each has a unique message, so each must be one yoo_event row")
        Path ackedEvents;

        @Override
        public Integer call() throws Exception {
            if (concurrency < 1) {
                System.err.println("yoo storm run: --concurrency must be at least 1");
                return 2;
            }
            ClusterDescriptor d;
            try {
                d = DescriptorLoader.load(descriptor);
            } catch (DescriptorException e) {
                e.errors().forEach(x -> System.err.println(x.format()));
                return 1;
            }
            List<MacAddress> macs = d.machines().stream().map(Machine::primaryMac).flatMap(Optional::stream).toList();
            if (slice != null) {
                int[] range = parseSlice(slice, macs.size());
                if (range.length == 0) {
                    System.err.println("yoo storm run: --slice must be FROM:TO with 0 <= FROM < TO <= " + macs.size() + ", got '" + slice + "'");
                    return 2;
                }
                macs = macs.subList(range[0], range[1]);
            }
            Ipv4 relayIp = Ipv4.parse(relay);
            StormOptions opt = new StormOptions(d.network().serverAddress(), d.server().httpPort(), tftpPort, timeoutMillis, dhcpTimeoutMillis);
            List<Ipv4> servers = new ArrayList<>(List.of(opt.server()));
            alsoServers.stream().map(Ipv4::parse).forEach(servers::add);
            Path tokenFile = adminTokenFile != null ? adminTokenFile : d.server().stateDir().resolve("admin-token");
            String adminToken = Files.readString(tokenFile).strip();
            int doneBefore = StormReport.summary(relayIp, servers, opt.httpPort(), adminToken).done();
            StormLedger ledger = new StormLedger();
            StormReport report;
            try (RelaySocket socket = new RelaySocket(new InetSocketAddress(relayIp.toInetAddress(), 67),
                    servers.stream().map(s -> new InetSocketAddress(s.toInetAddress(), 67)).toList())) {
                report = new StormRun(new MachinePlayer(socket, relayIp, opt, ledger), concurrency, Math.max(0, reboots)).run(macs);
                report.dhcpUnmatched = socket.unmatched.sum();
            }
            report.eventsAcked = ledger.eventsAcked();
            report.addressConflicts = ledger.addressConflicts();
            report.apiDoneBefore = doneBefore;
            if (ackedEvents != null) {
                ledger.write(ackedEvents);
            }
            report.verify(relayIp, servers, opt.httpPort(), adminToken);
            System.out.println(report.line());
            report.failures().stream().limit(10).forEach(f -> System.err.println("  failed: " + f));
            return report.allInstalled(macs.size()) && report.addressConflicts == 0 ? 0 : 1;
        }

        /** {@code FROM:TO} within {@code 0..size}, FROM < TO; empty when it is not. */
        static int[] parseSlice(String text, int size) {
            int colon = text.indexOf(':');
            try {
                int from = Integer.parseInt(text.substring(0, Math.max(0, colon)));
                int to = Integer.parseInt(text.substring(colon + 1));
                return colon > 0 && from >= 0 && from < to && to <= size ? new int[] {from, to} : new int[0];
            } catch (NumberFormatException e) {
                return new int[0];
            }
        }
    }

    @Command(name = "discover", mixinStandardHelpOptions = true,
            description = "N machines in no descriptor POST their inventory to /api/v1/discovered at once; prints a table.")
    static final class Discover implements Callable<Integer> {
        @Option(names = "--url", required = true, description = "the server, e.g. http://127.0.0.1:8080")
        URI url;

        @Option(names = "--state-dir", required = true, description = "the server's state dir: its token secret (enrollment tokens) and admin token")
        Path stateDir;

        @Option(names = "--machines", defaultValue = "1000")
        int machines;

        @Option(names = "--concurrency", description = "requests in flight at most (default: all of them)")
        Integer concurrency;

        @Option(names = "--server-pid", description = "the server's process: its RSS (VmHWM, VmRSS) goes in the table")
        Long serverPid;

        @Override
        public Integer call() throws Exception {
            if (machines < 1 || machines > 1 << 20 || (concurrency != null && concurrency < 1)) {
                System.err.println("yoo storm discover: --machines 1..1048576, --concurrency at least 1");
                return 2;
            }
            EnrollmentTokens tokens = new EnrollmentTokens(TokenSecretFile.read(stateDir)
                    .orElseThrow(() -> new IllegalStateException("no token secret in " + stateDir + " (is yoo serve running there?)")));
            String admin = Files.readString(stateDir.resolve("admin-token")).strip();
            long cpu0 = serverPid == null ? 0 : ProcStat.cpuTicks(serverPid);
            DiscoveryStorm.Result r = new DiscoveryStorm(url, tokens, admin, concurrency == null ? machines : concurrency).run(machines);
            double cpu = serverPid == null ? Double.NaN : (ProcStat.cpuTicks(serverPid) - cpu0) / (double) ProcStat.TICKS;
            String rss = serverPid == null ? "-" : ProcStat.kib(serverPid, "VmHWM") / 1024 + " / " + ProcStat.kib(serverPid, "VmRSS") / 1024;
            System.out.printf("| machines | in flight | wall s | accepted 202 | other answers | p50 ms | p99 ms | max ms | listed | list s"
                    + " | server CPU s | server RSS peak / now MiB |%n");
            System.out.printf("|---|---|---|---|---|---|---|---|---|---|---|---|%n");
            System.out.printf(Locale.ROOT, "| %d | %d | %.2f | %d | %s | %d | %d | %d | %d | %.2f | %s | %s |%n", r.machines(),
                    concurrency == null ? machines : concurrency, r.wallSeconds(), r.accepted(), r.others().isEmpty() ? "none" : r.others(),
                    r.p50Millis(), r.p99Millis(), r.maxMillis(), r.listed(), r.listSeconds(),
                    Double.isNaN(cpu) ? "-" : String.format(Locale.ROOT, "%.1f", cpu), rss);
            return r.accepted() == machines && r.listed() == machines ? 0 : 1;
        }
    }
}
