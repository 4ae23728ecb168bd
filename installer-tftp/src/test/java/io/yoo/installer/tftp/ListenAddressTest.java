package io.yoo.installer.tftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.yoo.installer.tftp.codec.TftpCodec;
import io.yoo.installer.tftp.codec.TftpPacket;
import io.yoo.installer.tftp.server.TftpServer;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TftpServer#listenOn} over loopback (every 127/8 address is local, no root needed): a
 * server on the wildcard answers a request sent to 127.0.0.2 from 127.0.0.1 (the route's source
 * towards the client) unless it listens on 127.0.0.2; then DATA and ERROR come from 127.0.0.2.
 * The namespace version with real clients is {@link AnswerFromAddressAskedTest}.
 */
class ListenAddressTest {
    private static final InetAddress SECOND = InetAddress.ofLiteral("127.0.0.2");

    @TempDir
    Path root;

    private TftpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private TftpServer wildcard() throws IOException {
        TestServers.file(root, "f", 2000);
        server = new TftpServer(TestServers.loopback(root).withBind(InetAddress.ofLiteral("0.0.0.0"), 0));
        return server;
    }

    @Test
    void answersFromTheAddressAskedOnceListeningThereAndFromTheRoutesSourceAfter() throws Exception {
        wildcard().start();
        assertThat(firstAnswerSource("f")).as("wildcard only: the route's source").isEqualTo(InetAddress.getLoopbackAddress());
        server.listenOn(SECOND);
        assertThat(server.listenAddresses()).containsExactly(SECOND);
        assertThat(firstAnswerSource("f")).as("DATA after listenOn").isEqualTo(SECOND);
        assertThat(firstAnswerSource("missing")).as("ERROR after listenOn").isEqualTo(SECOND);
        server.stopListeningOn(SECOND);
        assertThat(server.listenAddresses()).isEmpty();
        assertThat(firstAnswerSource("f")).as("after stopListeningOn").isEqualTo(InetAddress.getLoopbackAddress());
        assertThat(server.stats().requests()).as("every listener counts its requests").isEqualTo(4);
        assertThat(server.stats().notFound()).isEqualTo(1);
    }

    @Test
    void anAddressGivenBeforeStartIsBoundAtStart() throws Exception {
        wildcard().listenOn(SECOND);
        server.start();
        assertThat(firstAnswerSource("f")).isEqualTo(SECOND);
    }

    @Test
    void refusesWildcardMulticastForeignAndTooManyAddresses() throws Exception {
        wildcard().start();
        assertThatThrownBy(() -> server.listenOn(InetAddress.ofLiteral("0.0.0.0"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> server.listenOn(InetAddress.ofLiteral("224.0.0.1"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> server.listenOn(InetAddress.ofLiteral("192.0.2.1"))).isInstanceOf(IOException.class)
                .hasMessageContaining("192.0.2.1");
        assertThat(server.listenAddresses()).as("not kept after a failed bind").isEmpty();
        for (int i = 1; i <= TftpServer.MAX_LISTEN_ADDRESSES; i++) {
            server.listenOn(InetAddress.ofLiteral("127.0.1." + i));
        }
        server.listenOn(InetAddress.ofLiteral("127.0.1.1")); // again: a no-op
        assertThatThrownBy(() -> server.listenOn(InetAddress.ofLiteral("127.0.2.1"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most " + TftpServer.MAX_LISTEN_ADDRESSES);
        assertThat(server.listenAddresses()).hasSize(TftpServer.MAX_LISTEN_ADDRESSES);
    }

    /** Sends an RRQ for {@code file} to 127.0.0.2 from 127.0.0.1 and returns the source address of the first answer. */
    private InetAddress firstAnswerSource(String file) throws Exception {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            s.setSoTimeout(3000);
            byte[] rrq = TftpCodec.encode(new TftpPacket.ReadRequest(file, "octet", Map.of()));
            s.send(new DatagramPacket(rrq, rrq.length, new InetSocketAddress(SECOND, server.port())));
            byte[] buf = new byte[1024];
            DatagramPacket answer = new DatagramPacket(buf, buf.length);
            s.receive(answer);
            TftpPacket p = TftpCodec.decode(ByteBuffer.wrap(buf, 0, answer.getLength()));
            if (p instanceof TftpPacket.Data) { // end the transfer: an ERROR from the client
                byte[] abort = TftpCodec.encode(new TftpPacket.Error(0, "test done"));
                s.send(new DatagramPacket(abort, abort.length, answer.getSocketAddress()));
            }
            return answer.getAddress();
        }
    }
}
