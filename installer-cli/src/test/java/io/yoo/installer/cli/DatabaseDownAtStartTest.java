package io.yoo.installer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.testsupport.TempPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code yoo serve} whose PostgreSQL ({@code server.database}, a real one, stopped) is unreachable
 * at its first start: it has no local copy of the shared state to start from, so it exits 3 with one
 * line naming the database (without the URL's parameters, which may hold a password) and what to
 * do — not a stack trace from whichever component asked first, not exit 4 ("a bug").
 */
class DatabaseDownAtStartTest {
    @TempDir
    Path dir;

    @Test
    void serveSaysInOneLineThatTheDatabaseIsUnreachableAndExits3() throws Exception {
        try (TempPostgres pg = TempPostgres.start()) {
            pg.stopServer();
            Path key = new ServeBed(dir).secretKey();
            String url = pg.jdbcUrl();
            Path cluster = dir.resolve("cluster.yml");
            Files.writeString(cluster, """
                    cluster: t1
                    architecture: devtest
                    network: { interface: lo, server: 10.200.0.1, subnet: 10.200.0.0/24, dhcp: off }
                    server: { httpPort: %d, stateDir: state, assetDir: assets, database: "%s?password=hunter2", secretKeyFile: "%s" }
                    os: { version: 4081.2.0 }
                    machines:
                      - { name: m1, mac: "52:54:00:99:00:11", ip: 10.200.0.11, role: control-plane }
                    """.formatted(ServeBed.freePort(), url, key));
            Process p = new ProcessBuilder(ServeProcess.javaCommand(List.of("serve", cluster.toString(), "--unprivileged", "--tftp-port", "0",
                    "--bind", "127.0.0.1"))).directory(dir.toFile()).redirectErrorStream(true).start();
            ProcessOutput output = ProcessOutput.follow(p);
            try {
                assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("gives up; output:\n%s", String.join("\n", output.lines)).isTrue();
            } finally {
                p.destroyForcibly();
                output.reader.join(5000);
            }
            String all = String.join("\n", output.lines);
            assertThat(p.exitValue()).as(all).isEqualTo(Yoo.EXIT_ENVIRONMENT);
            assertThat(output.lines).as(all).anyMatch(l -> l.startsWith("yoo serve: state database " + url + "?... (server.database) is unreachable: ")
                    && l.contains("start PostgreSQL or fix server.database"));
            assertThat(all).as("no password, no stack trace").doesNotContain("hunter2").doesNotContain("\tat ");
        }
    }
}
