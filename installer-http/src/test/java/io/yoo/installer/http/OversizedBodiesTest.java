package io.yoo.installer.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.core.boot.MachineTokens;
import io.yoo.installer.core.cluster.LiveCluster;
import io.yoo.installer.core.config.secrets.ClusterSecrets;
import io.yoo.installer.core.descriptor.DescriptorLoader;
import io.yoo.installer.core.discovery.Enrollment;
import io.yoo.installer.core.discovery.EnrollmentTokens;
import io.yoo.installer.core.state.JdbcConfig;
import io.yoo.installer.core.state.JdbcStateStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every endpoint that takes a body from a machine answers an oversized one with a 413 the client
 * reads, request after request on one server: the body is read and dropped (up to a bound) before
 * the answer, as answering with it unread made Jetty close the connection under a client still
 * writing, which then saw a reset or a broken pipe instead of the 413.
 */
class OversizedBodiesTest {
    static final int ROUNDS = 3;
    static final String STRANGER = "52:54:00:77:00:01";
    static final Supplier<ClusterSecrets> NO_SECRETS = () -> {
        throw new IllegalStateException("an oversized body asked for the cluster secrets");
    };

    @TempDir
    Path dir;
    JdbcStateStore store;
    final MachineTokens tokens = new MachineTokens(MachineTokens.newSecret());
    HttpServer server;

    static String yaml(int port) {
        return """
                cluster: big
                architecture: devtest
                network:
                  interface: lo
                  server: 127.0.0.1
                  subnet: 127.0.0.0/8
                  domain: big.internal
                server:
                  httpPort: %d
                  discovery: true
                  allowUnknown: true
                os:
                  channel: stable
                  version: 4081.2.0
                sshKeys:
                  - ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ3rY7q2w5X8kL1mN4pQ6sT9vB0cD2eF5gH7jK9lM1nP dev@laptop
                machines:
                  - name: node-1
                    mac: "52:54:00:00:01:01"
                    ip: 127.0.0.11
                    role: control-plane
                """.formatted(port);
    }

    @BeforeEach
    void start() throws Exception {
        Path state = Files.createDirectories(dir.resolve("state"));
        Path descriptor = dir.resolve("cluster.yml");
        Files.writeString(descriptor, yaml(1));
        store = new JdbcStateStore(JdbcConfig.h2File(state));
        store.start();
        LiveCluster live = new LiveCluster(DescriptorLoader.load(descriptor), tokens, NO_SECRETS, store);
        server = new HttpServer(HttpConfig.plain("127.0.0.1", 0, Files.createDirectories(dir.resolve("assets")), state),
                HttpServices.of(live.artifacts(), tokens, store, live.directory()).withEnrollment(new Enrollment(live, store, Clock.systemUTC())));
        server.start();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
        store.stop();
    }

    /**
     * POSTs {@code body} on a fresh connection, all of it before reading anything (as a simple
     * client does), and returns the answer's status line. The small send buffer keeps the body
     * from fitting in the kernel's buffers (on loopback they grow to megabytes): the client is
     * still writing when the server answers, as over a real network.
     */
    String post(String path, String headers, byte[] body) throws IOException {
        try (Socket socket = new Socket()) {
            socket.setSendBufferSize(16 << 10);
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" + headers
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0 && c != '\n') {
                line.append((char) c);
            }
            return line.toString().strip();
        }
    }

    /** {@code size} bytes of a JSON object: over the endpoint's limit, under what it reads and drops. */
    static byte[] json(int size) {
        return ("{\"x\":\"" + "a".repeat(size - 8) + "\"}").getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void eachOversizedBodyGetsItsOwn413() throws Exception {
        String machineToken = tokens.tokenFor("node-1");
        String enrollment = new EnrollmentTokens(tokens).issue(MacAddress.parse(STRANGER));
        // each body is over its endpoint's limit and under the bound up to which it is read and dropped
        Map<String, String> headers = Map.of("/api/v1/discovered", "Authorization: Bearer " + enrollment + "\r\n");
        Map<String, byte[]> bodies = new LinkedHashMap<>();
        bodies.put("/api/v1/machines/node-1/events?token=" + machineToken, json(768 << 10)); // 64 KiB, 1 MiB
        bodies.put("/api/v1/machines/node-1/log?token=" + machineToken, json((5 << 20) + (256 << 10))); // 5 MiB, 16 MiB
        bodies.put("/api/v1/discovered", json(768 << 10)); // 64 KiB, 1 MiB
        bodies.put("/profiles/production-worker/report", json(768 << 10)); // 4 KiB, 1 MiB
        List<String> missed = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            for (Map.Entry<String, byte[]> b : bodies.entrySet()) {
                String path = b.getKey();
                try {
                    String status = post(path, headers.getOrDefault(path, ""), b.getValue());
                    if (!status.startsWith("HTTP/1.1 413 ")) {
                        missed.add(path + ": '" + status + "'");
                    }
                } catch (IOException e) {
                    missed.add(path + ": " + e);
                }
            }
        }
        assertThat(missed).as("requests without their 413").isEmpty();
    }
}
