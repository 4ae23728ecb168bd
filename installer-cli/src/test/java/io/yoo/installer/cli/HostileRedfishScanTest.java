package io.yoo.installer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yoo.installer.ipmi.redfish.RedfishClient;
import io.yoo.installer.ipmi.testsupport.RedfishMockServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code yoo ipmi-scan -p redfish} against BMCs that lie, stall or point elsewhere: DMTF's
 * mockup served over HTTPS with some documents replaced. One BMC's misbehaviour is reported on
 * its own line and never leaks credentials, stalls the scan or reaches the outputs.
 */
class HostileRedfishScanTest {
    private static final String SYSTEM = "/redfish/v1/Systems/437XR1138R2";
    @TempDir
    Path work;
    private final List<AutoCloseable> running = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : running) {
            c.close();
        }
    }

    record Run(int exit, String out, long millis) {}

    private static Run yoo(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8);
        System.setOut(ps);
        System.setErr(ps);
        long start = System.nanoTime();
        try {
            int exit = Yoo.commandLine().execute(args);
            return new Run(exit, buf.toString(StandardCharsets.UTF_8), (System.nanoTime() - start) / 1_000_000);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private RedfishMockServer bmc(String address, int port) throws Exception {
        RedfishMockServer m = RedfishMockServer.start(work, true, new InetSocketAddress(InetAddress.getByName(address), port));
        running.add(m);
        return m;
    }

    /** Two mockup BMCs on 127.0.0.2 and 127.0.0.3 with the same port (a scan uses one Redfish port for all). */
    private List<RedfishMockServer> twoBmcs() throws Exception {
        for (int attempt = 0; ; attempt++) {
            RedfishMockServer a = bmc("127.0.0.2", 0);
            try {
                return List.of(a, bmc("127.0.0.3", a.port()));
            } catch (BindException e) {
                if (attempt == 5) {
                    throw e;
                }
            }
        }
    }

    private static String[] scan(int port, String... more) {
        List<String> args = new ArrayList<>(List.of("ipmi-scan", "-p", "redfish", "--redfish-port", Integer.toString(port), "--insecure",
                "--password", RedfishMockServer.PASSWORD, "--index", "n + 1"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private static String line(Run r, String bmc) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(bmc) + "\\s.*$").matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        return m.group();
    }

    /** A TCP listener that only counts who connects: any connection means a link led the client there. */
    static final class Recorder implements AutoCloseable {
        final ServerSocket socket;
        final AtomicInteger connections = new AtomicInteger();

        Recorder() throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(() -> {
                while (!socket.isClosed()) {
                    try (Socket s = socket.accept()) {
                        connections.incrementAndGet();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void linksToAnotherOriginAreRefusedOnTheBmcsLineAndNothingConnectsThere() throws Exception {
        Recorder thief = new Recorder();
        running.add(thief);
        RedfishMockServer b = bmc("127.0.0.1", 0);
        b.rewrite(SYSTEM, s -> ((ObjectNode) s.path("EthernetInterfaces")).put("@odata.id", "//127.0.0.1:" + thief.port() + "/steal/nics"));
        b.rewrite("/redfish/v1", s -> ((ObjectNode) s.path("Managers")).put("@odata.id",
                "https://127.0.0.1:" + thief.port() + "/redfish/v1/Managers"));

        Run r = yoo(scan(b.port(), "127.0.0.1"));

        assertThat(thief.connections.get()).as("connections to the other origin").isZero();
        String line = line(r, "127.0.0.1");
        assertThat(line).contains("PARTIAL").contains("refused to follow link '//127.0.0.1:" + thief.port() + "/steal/nics'")
                .contains("refused to follow link 'https://127.0.0.1:" + thief.port() + "/redfish/v1/Managers'");
    }

    @Test
    void aRedirectIsNotFollowed() throws Exception {
        Recorder thief = new Recorder();
        running.add(thief);
        RedfishMockServer b = bmc("127.0.0.1", 0);
        b.override(Pattern.quote(SYSTEM + "/EthernetInterfaces"), ex -> {
            ex.getResponseHeaders().add("Location", "https://127.0.0.1:" + thief.port() + "/redfish/v1/Systems/1/EthernetInterfaces");
            RedfishMockServer.send(ex, 307, "{}");
        });

        Run r = yoo(scan(b.port(), "127.0.0.1"));

        assertThat(thief.connections.get()).isZero();
        assertThat(line(r, "127.0.0.1")).contains("PARTIAL").contains("HTTP 307").contains("not followed");
    }

    @Test
    void aHugeCollectionIsCutAtTheLimitAndSaidSo() throws Exception {
        RedfishMockServer b = bmc("127.0.0.1", 0);
        int members = 20_000;
        b.override(Pattern.quote(SYSTEM + "/EthernetInterfaces"), ex -> {
            StringBuilder sb = new StringBuilder("{\"Members\":[");
            for (int i = 0; i < members; i++) {
                sb.append(i == 0 ? "" : ",").append("{\"@odata.id\":\"" + SYSTEM + "/EthernetInterfaces/n").append(i).append("\"}");
            }
            RedfishMockServer.send(ex, 200, sb.append("]}").toString());
        });
        b.override(Pattern.quote(SYSTEM + "/EthernetInterfaces/n") + "[0-9]+", ex -> {
            int n = Integer.parseInt(ex.getRequestURI().getPath().replaceAll(".*/n", ""));
            RedfishMockServer.send(ex, 200, String.format("{\"Id\":\"n%d\",\"PermanentMACAddress\":\"52:54:00:%02x:%02x:%02x\"}", n,
                    n >> 16 & 0xff, n >> 8 & 0xff, n & 0xff));
        });

        Run r = yoo(scan(b.port(), "127.0.0.1"));

        long nicGets = b.calls().stream().filter(c -> c.path().startsWith(SYSTEM + "/EthernetInterfaces/n")).count();
        assertThat(nicGets).isEqualTo(RedfishClient.MAX_MEMBERS);
        assertThat(line(r, "127.0.0.1")).contains("PARTIAL")
                .contains(SYSTEM + "/EthernetInterfaces has 20000 members; read the first " + RedfishClient.MAX_MEMBERS);
    }

    @Test
    void anOversizedBodyIsRefused() throws Exception {
        RedfishMockServer b = bmc("127.0.0.1", 0);
        b.rewrite(SYSTEM, s -> s.put("Description", "x".repeat(6 << 20)));

        Run r = yoo(scan(b.port(), "127.0.0.1"));

        assertThat(line(r, "127.0.0.1")).contains("response body larger than " + RedfishClient.MAX_BODY + " bytes");
    }

    @Test
    void aStallingBmcIsCutAtItsDeadlineAndTheOthersFinish() throws Exception {
        List<RedfishMockServer> bmcs = twoBmcs();
        // the system document trickles out a byte a second for a minute: each read succeeds, the body never ends in time
        bmcs.getFirst().override(Pattern.quote(SYSTEM), ex -> {
            ex.sendResponseHeaders(200, 0);
            OutputStream body = ex.getResponseBody();
            try {
                for (int i = 0; i < 60; i++) {
                    body.write(' ');
                    body.flush();
                    Thread.sleep(1000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                // the client gave up: that is the point
            }
        });

        // a deadline with room for the healthy BMC on a loaded machine; the trickle alone would take 60 s
        Run r = yoo(scan(bmcs.getFirst().port(), "127.0.0.2", "127.0.0.3", "--deadline-s", "10", "--timeout-ms", "5000"));

        assertThat(line(r, "127.0.0.3")).contains(" OK ");
        assertThat(line(r, "127.0.0.2")).contains("PARTIAL").containsPattern("no complete answer|deadline");
        assertThat(r.millis()).as(r.out()).isLessThan(20_000);
    }

    @Test
    void placeholderUuidsAndSharedMacsAreReportedAndNeitherMachineIsPlanned() throws Exception {
        List<RedfishMockServer> bmcs = twoBmcs();
        bmcs.get(0).rewrite(SYSTEM, s -> s.put("UUID", "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF"));
        bmcs.get(1).rewrite(SYSTEM, s -> s.put("UUID", "00000000-0000-0000-0000-000000000000"));
        Path dnsmasq = work.resolve("hosts.dnsmasq");

        Run r = yoo(scan(bmcs.getFirst().port(), "127.0.0.2", "127.0.0.3", "--dnsmasq", dnsmasq.toString()));

        assertThat(line(r, "127.0.0.2")).contains("system UUID ffffffff-ffff-ffff-ffff-ffffffffffff is a placeholder")
                .contains("not planned: mac 12:44:6a:3b:04:11 also of BMC 127.0.0.3");
        assertThat(line(r, "127.0.0.3")).contains("system UUID 00000000-0000-0000-0000-000000000000 is a placeholder")
                .contains("not planned: mac 12:44:6a:3b:04:11 also of BMC 127.0.0.2");
        assertThat(r.out()).contains("0 hosts planned").contains("nothing usable was planned");
        assertThat(r.exit()).isEqualTo(Yoo.EXIT_INVALID);
        assertThat(dnsmasq).as("no empty output replaces a previous one").doesNotExist();
    }

    @Test
    void anInvalidUuidAndAMulticastMacAreReportedAndLeftOut() throws Exception {
        RedfishMockServer b = bmc("127.0.0.1", 0);
        b.rewrite(SYSTEM, s -> s.put("UUID", "not-a-uuid\u001b[31m"));
        b.rewrite(SYSTEM + "/EthernetInterfaces/12446A3B0411", s -> s.put("PermanentMACAddress", "01:00:5E:00:00:01"));
        Path dnsmasq = work.resolve("hosts.dnsmasq");

        Run r = yoo(scan(b.port(), "127.0.0.1", "--dnsmasq", dnsmasq.toString()));

        String line = line(r, "127.0.0.1");
        assertThat(line).contains("PARTIAL").contains("system UUID 'not-a-uuid\\u001b[31m' is not a UUID; ignored")
                .contains("host MAC 01:00:5e:00:00:01 is a multicast address; not used");
        assertThat(r.out()).doesNotContain("\u001b");
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(Files.readString(dnsmasq)).contains("dhcp-host=12:44:6a:3b:88:90,10.12.1.1,core-1-1").doesNotContain("01:00:5e");
    }

    @Test
    void theDefaultRuleGivingAnImpossibleAddressIsAProblemAndAFailure() throws Exception {
        RedfishMockServer b = bmc("127.0.0.1", 0);
        Path dhcpd = work.resolve("hosts.conf");
        List<String> args = new ArrayList<>(List.of("ipmi-scan", "-p", "redfish", "--redfish-port", Integer.toString(b.port()), "--insecure",
                "--password", RedfishMockServer.PASSWORD, "--dhcpd", dhcpd.toString(), "127.0.0.1"));

        Run r = yoo(args.toArray(String[]::new));

        assertThat(line(r, "127.0.0.1")).contains("not planned: BMC 127.0.0.1 gives index -5655 and address '10.12.1.-5655'");
        assertThat(r.exit()).isEqualTo(Yoo.EXIT_INVALID);
        assertThat(dhcpd).doesNotExist();
    }
}
