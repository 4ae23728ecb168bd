package io.yoo.installer.tftp;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.api.boot.BootDecision;
import io.yoo.installer.api.boot.BootPolicy;
import io.yoo.installer.api.boot.BootRequest;
import io.yoo.installer.api.boot.Sighting;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.tftp.codec.ErrorCode;
import io.yoo.installer.tftp.codec.TftpPacket;
import io.yoo.installer.tftp.server.CompletedTransfer;
import io.yoo.installer.tftp.server.TftpServer;
import io.yoo.installer.tftp.server.TftpServerConfig;
import io.yoo.installer.tftp.server.TransferListener;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exact packet sequences against the server, with a Java client that plays firmware and misbehaving peers. */
class ProtocolTest {
    @TempDir
    Path root;

    private TftpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private TftpServer start(TftpServerConfig config) throws Exception {
        server = TestServers.started(config);
        return server;
    }

    /** Reads a whole transfer after the first packet; acks every window end and returns the bytes. */
    private static byte[] drain(TestClient c, TftpPacket first, int blockSize, int window) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TftpPacket p = first;
        long expected = 1;
        int inWindow = 0;
        while (true) {
            assertThat(p).isInstanceOf(TftpPacket.Data.class);
            TftpPacket.Data d = (TftpPacket.Data) p;
            assertThat(d.block()).as("block number on the wire").isEqualTo((int) (expected & 0xFFFF));
            out.write(d.payload());
            inWindow++;
            boolean last = d.payload().length < blockSize;
            if (last || inWindow == window) {
                c.ack(d.block());
                inWindow = 0;
            }
            if (last) {
                return out.toByteArray();
            }
            expected++;
            p = c.receive();
        }
    }

    @Test
    void ovmfAbortsAfterOackThenAsksAgainAndGetsTheFile() throws Exception {
        Path f = TestServers.file(root, "snponly.efi", 200_000);
        start(TestServers.loopback(root));
        try (TestClient c = new TestClient(server.port())) {
            // OVMF's first request, byte for byte: tsize first, then blksize 1468 and windowsize 4
            c.sendRaw(("\0\1snponly.efi\0octet\0tsize\0" + "0\0blksize\0" + "1468\0windowsize\0" + "4\0").getBytes(StandardCharsets.ISO_8859_1));
            TftpPacket oack = c.receive();
            assertThat(oack).isEqualTo(new TftpPacket.OptionAck(orderedMap("tsize", "200000", "blksize", "1468", "windowsize", "4")));
            c.error(ErrorCode.OPTION_REFUSED, "User aborted the transfer");
            // ...and asks again from the same port, without tsize
            c.sendRaw(("\0\1snponly.efi\0octet\0blksize\0" + "1468\0windowsize\0" + "4\0").getBytes(StandardCharsets.ISO_8859_1));
            TftpPacket oack2 = c.receive();
            assertThat(oack2).isEqualTo(new TftpPacket.OptionAck(orderedMap("blksize", "1468", "windowsize", "4")));
            c.ack(0);
            byte[] got = drain(c, c.receive(), 1468, 4);
            assertThat(got).isEqualTo(Files.readAllBytes(f));
        }
        awaitIdle();
        assertThat(server.stats().clientAborts()).isEqualTo(1);
        assertThat(server.stats().completed()).isEqualTo(1);
    }

    @Test
    void ipxeRequestGetsBlksizeAndTsize() throws Exception {
        Path f = TestServers.file(root, "undionly.kpxe", 70_000);
        start(TestServers.loopback(root));
        try (TestClient c = new TestClient(server.port())) {
            c.rrq("undionly.kpxe", orderedMap("blksize", "1432", "tsize", "0"));
            assertThat(c.receive()).isEqualTo(new TftpPacket.OptionAck(orderedMap("blksize", "1432", "tsize", "70000")));
            int transferPort = c.peer.getPort();
            assertThat(transferPort).as("a transfer gets its own port (TID)").isNotEqualTo(server.port());
            c.ack(0);
            assertThat(drain(c, c.receive(), 1432, 1)).isEqualTo(Files.readAllBytes(f));
        }
    }

    @Test
    void blksizeIsClampedToTheConfiguredMaximum() throws Exception {
        TestServers.file(root, "f", 10);
        start(TestServers.loopback(root).withMaxBlockSize(1000));
        try (TestClient c = new TestClient(server.port())) {
            c.rrq("f", Map.of("blksize", "65464"));
            assertThat(c.receive()).isEqualTo(new TftpPacket.OptionAck(Map.of("blksize", "1000")));
        }
    }

    @Test
    void windowRestartsAfterThePartialAckOfAGap() throws Exception {
        Path f = TestServers.file(root, "ten", 10 * 512);
        start(TestServers.loopback(root));
        try (TestClient c = new TestClient(server.port())) {
            c.rrq("ten", Map.of("windowsize", "4"));
            assertThat(c.receive()).isEqualTo(new TftpPacket.OptionAck(Map.of("windowsize", "4")));
            c.ack(0);
            assertThat(blocks(c, 4)).containsExactly(1, 2, 3, 4);
            c.ack(2); // RFC 7440: the client saw a gap after block 2
            assertThat(blocks(c, 4)).containsExactly(3, 4, 5, 6);
            c.ack(6);
            assertThat(blocks(c, 4)).containsExactly(7, 8, 9, 10);
            c.ack(10);
            TftpPacket.Data last = (TftpPacket.Data) c.receive();
            assertThat(last.block()).isEqualTo(11);
            assertThat(last.payload()).as("exact multiple of blksize: empty final block").isEmpty();
            c.ack(11);
        }
        awaitIdle();
        assertThat(server.stats().completed()).isEqualTo(1);
        assertThat(Files.size(f)).isEqualTo(5120);
    }

    @Test
    void duplicateAckIsNotAnsweredSoNoSorcerersApprentice() throws Exception {
        TestServers.file(root, "f", 5 * 512);
        start(TestServers.loopback(root).withTimeout(Duration.ofSeconds(2), 3));
        try (TestClient c = new TestClient(server.port())) {
            c.rrq("f", Map.of());
            assertThat(((TftpPacket.Data) c.receive()).block()).isEqualTo(1);
            c.ack(1);
            assertThat(((TftpPacket.Data) c.receive()).block()).isEqualTo(2);
            c.ack(1); // delayed duplicate
            c.ack(1);
            assertThat(c.receive(400)).as("no DATA in answer to a duplicate ACK").isNull();
            c.ack(2);
            assertThat(((TftpPacket.Data) c.receive()).block()).isEqualTo(3);
            assertThat(c.receive(300)).isNull();
        }
        assertThat(server.stats().duplicateAcks()).isEqualTo(2);
    }

    @Test
    void retransmitsWithBackoffThenReapsTheIdleTransfer() throws Exception {
        TestServers.file(root, "f", 100);
        start(TestServers.loopback(root).withTimeout(Duration.ofMillis(100), 2));
        try (TestClient c = new TestClient(server.port())) {
            c.rrq("f", Map.of());
            List<Long> at = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                assertThat(c.receive()).isInstanceOf(TftpPacket.Data.class);
                at.add(System.nanoTime());
            }
            TftpPacket end = c.receive();
            assertThat(end).isInstanceOf(TftpPacket.Error.class);
            assertThat(((TftpPacket.Error) end).message()).contains("timed out");
            long gap1 = (at.get(1) - at.get(0)) / 1_000_000;
            long gap2 = (at.get(2) - at.get(1)) / 1_000_000;
            assertThat(gap1).as("first retry after the base timeout").isGreaterThanOrEqualTo(90);
            assertThat(gap2).as("second retry after the doubled timeout").isGreaterThanOrEqualTo(190);
        }
        awaitIdle();
        assertThat(server.stats().timedOut()).isEqualTo(1);
        assertThat(server.stats().retransmits()).isEqualTo(2);
    }

    @Test
    void oackIsRetransmittedUntilAcknowledged() throws Exception {
        TestServers.file(root, "f", 100);
        start(TestServers.loopback(root).withTimeout(Duration.ofMillis(100), 3));
        try (TestClient c = new TestClient(server.port())) {
            c.rrq("f", Map.of("tsize", "0"));
            assertThat(c.receive()).isInstanceOf(TftpPacket.OptionAck.class);
            assertThat(c.receive()).as("OACK again after the timeout").isInstanceOf(TftpPacket.OptionAck.class);
            c.ack(0);
            TftpPacket d = c.receive();
            assertThat(d).isInstanceOf(TftpPacket.Data.class);
            c.ack(1);
        }
    }

    @Test
    void blockNumbersRollOverPast65535() throws Exception {
        int blk = 8;
        long blocks = 65536 + 20;
        Path f = TestServers.file(root, "roll", blocks * blk + 3);
        start(TestServers.loopback(root).withMaxWindowSize(256));
        try (TestClient c = new TestClient(server.port())) {
            c.rrq("roll", orderedMap("blksize", "8", "windowsize", "256"));
            assertThat(c.receive()).isInstanceOf(TftpPacket.OptionAck.class);
            c.ack(0);
            assertThat(drain(c, c.receive(), blk, 256)).isEqualTo(Files.readAllBytes(f));
        }
    }

    @Test
    void writeRequestsAreRefused() throws Exception {
        start(TestServers.loopback(root));
        try (TestClient c = new TestClient(server.port())) {
            c.send(new TftpPacket.WriteRequest("upload", "octet", Map.of()), c.server);
            TftpPacket.Error e = (TftpPacket.Error) c.receive();
            assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_VIOLATION);
            assertThat(e.message()).contains("read-only");
        }
        assertThat(root.resolve("upload")).doesNotExist();
    }

    @Test
    void fullServerAnswersBusy() throws Exception {
        TestServers.file(root, "f", 10_000);
        start(TestServers.loopback(root).withMaxTransfers(2));
        try (TestClient a = new TestClient(server.port()); TestClient b = new TestClient(server.port());
                TestClient third = new TestClient(server.port())) {
            a.rrq("f", Map.of());
            b.rrq("f", Map.of());
            assertThat(a.receive()).isInstanceOf(TftpPacket.Data.class);
            assertThat(b.receive()).isInstanceOf(TftpPacket.Data.class);
            third.rrq("f", Map.of());
            TftpPacket.Error e = (TftpPacket.Error) third.receive();
            assertThat(e.message()).contains("server busy").contains("2 transfers");
            assertThat(server.stats().refusedBusy()).isEqualTo(1);
        }
    }

    @Test
    void concurrentTransfersOfOneFileShareOneMapping() throws Exception {
        TestServers.file(root, "kernel", 100_000);
        start(TestServers.loopback(root));
        try (TestClient a = new TestClient(server.port()); TestClient b = new TestClient(server.port())) {
            a.rrq("kernel", Map.of());
            b.rrq("kernel", Map.of());
            TftpPacket pa = a.receive();
            TftpPacket pb = b.receive();
            assertThat(server.activeTransfers()).isEqualTo(2);
            assertThat(server.openFiles()).isEqualTo(1);
            drain(a, pa, 512, 1);
            drain(b, pb, 512, 1);
        }
        awaitIdle();
        assertThat(server.openFiles()).as("unmapped after the last transfer").isZero();
    }

    @Test
    void virtualFilesAreServedAndCompletionsReported() throws Exception {
        List<Sighting> sightings = new CopyOnWriteArrayList<>();
        BootPolicy policy = new BootPolicy() {
            @Override
            public BootDecision decide(BootRequest request) {
                throw new UnsupportedOperationException("not used by TFTP");
            }

            @Override
            public Optional<byte[]> virtualFile(String path, Ipv4 client) {
                return path.equals("pxelinux.cfg/01-52-54-00-12-34-56") && client.toString().equals("127.0.0.1")
                        ? Optional.of(("DEFAULT flatcar # for " + client).getBytes(StandardCharsets.US_ASCII))
                        : Optional.empty();
            }

            @Override
            public void observe(Sighting s) {
                sightings.add(s);
            }
        };
        List<CompletedTransfer> done = new CopyOnWriteArrayList<>();
        TransferListener report = TransferListener.reportingTo(policy);
        server = new TftpServer(TestServers.loopback(root), policy::virtualFile, t -> {
            done.add(t);
            report.completed(t);
        });
        server.start();
        try (TestClient c = new TestClient(server.port())) {
            c.rrq("pxelinux.cfg/01-52-54-00-12-34-56", Map.of());
            byte[] got = drain(c, c.receive(), 512, 1);
            assertThat(new String(got, StandardCharsets.US_ASCII)).isEqualTo("DEFAULT flatcar # for 127.0.0.1");
            c.rrq("pxelinux.cfg/01-aa-bb-cc-dd-ee-ff", Map.of());
            assertThat(((TftpPacket.Error) c.receive()).code()).isEqualTo(ErrorCode.FILE_NOT_FOUND);
        }
        awaitIdle();
        assertThat(done).singleElement().satisfies(t -> {
            assertThat(t.virtual()).isTrue();
            assertThat(t.bytes()).isEqualTo(31);
        });
        assertThat(sightings).singleElement().satisfies(s -> {
            assertThat(s.protocol()).isEqualTo(Sighting.Protocol.TFTP);
            assertThat(s.ip()).map(Object::toString).contains("127.0.0.1");
            assertThat(s.what()).isEqualTo("tftp pxelinux.cfg/01-52-54-00-12-34-56");
        });
    }

    /**
     * A root that does not exist (no ipxe package for /usr/lib/ipxe): the server starts, virtual
     * files are served, disk names get ERROR 1 saying the root is missing and reach the listener's
     * notFound, and once the directory appears its files are served without a restart.
     */
    @Test
    void missingRootServesVirtualFilesReportsMissesAndPicksUpTheDirectoryWhenItAppears() throws Exception {
        Path missing = root.resolve("ipxe");
        List<String> misses = new CopyOnWriteArrayList<>();
        server = new TftpServer(TestServers.loopback(missing),
                (path, client) -> path.equals("menu.cfg") ? Optional.of("menu".getBytes(StandardCharsets.US_ASCII)) : Optional.empty(),
                new TransferListener() {
                    @Override
                    public void completed(CompletedTransfer t) {}

                    @Override
                    public void notFound(String file, InetSocketAddress client) {
                        misses.add(file + " from " + client.getAddress().getHostAddress());
                    }
                });
        server.start();
        try (TestClient c = new TestClient(server.port())) {
            c.rrq("menu.cfg", Map.of());
            assertThat(drain(c, c.receive(), 512, 1)).isEqualTo("menu".getBytes(StandardCharsets.US_ASCII));
            c.rrq("undionly.kpxe", Map.of());
            TftpPacket.Error e = (TftpPacket.Error) c.receive();
            assertThat(e.code()).isEqualTo(ErrorCode.FILE_NOT_FOUND);
            assertThat(e.message()).contains("undionly.kpxe", missing + " does not exist");
            assertThat(misses).containsExactly("undionly.kpxe from 127.0.0.1");

            Files.createDirectories(missing);
            Path f = TestServers.file(missing, "undionly.kpxe", 1000);
            c.rrq("undionly.kpxe", Map.of());
            assertThat(drain(c, c.receive(), 512, 1)).isEqualTo(Files.readAllBytes(f));
        }
        awaitIdle();
    }

    @Test
    void netasciiConvertsLineEnds() throws Exception {
        Files.write(root.resolve("cfg"), "a\nb\rc".getBytes(StandardCharsets.US_ASCII));
        start(TestServers.loopback(root));
        try (TestClient c = new TestClient(server.port())) {
            c.send(new TftpPacket.ReadRequest("cfg", "netascii", Map.of()), c.server);
            assertThat(drain(c, c.receive(), 512, 1)).isEqualTo("a\r\nb\r\0c".getBytes(StandardCharsets.US_ASCII));
        }
    }

    @Test
    void unknownModeIsRefused() throws Exception {
        TestServers.file(root, "f", 1);
        start(TestServers.loopback(root));
        try (TestClient c = new TestClient(server.port())) {
            c.send(new TftpPacket.ReadRequest("f", "mail", Map.of()), c.server);
            TftpPacket.Error e = (TftpPacket.Error) c.receive();
            assertThat(e.code()).isEqualTo(ErrorCode.ILLEGAL_OPERATION);
            assertThat(e.message()).contains("mail");
        }
    }

    @Test
    void malformedRequestGetsAnErrorNamingTheField() throws Exception {
        start(TestServers.loopback(root));
        try (TestClient c = new TestClient(server.port())) {
            c.sendRaw("\0\1file-without-terminator".getBytes(StandardCharsets.US_ASCII));
            TftpPacket.Error e = (TftpPacket.Error) c.receive();
            assertThat(e.code()).isEqualTo(ErrorCode.ILLEGAL_OPERATION);
            assertThat(e.message()).contains("filename");
            c.sendRaw(new byte[] {0, 4, 0}); // stray truncated ACK on the request port: dropped
            assertThat(c.receive(200)).isNull();
        }
        assertThat(server.stats().malformed()).isEqualTo(2);
    }

    private static List<Integer> blocks(TestClient c, int n) throws Exception {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(((TftpPacket.Data) c.receive()).block());
        }
        return out;
    }

    private void awaitIdle() throws InterruptedException {
        for (int i = 0; i < 200 && server.activeTransfers() > 0; i++) {
            Thread.sleep(10);
        }
        assertThat(server.activeTransfers()).isZero();
    }

    static Map<String, String> orderedMap(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

}
