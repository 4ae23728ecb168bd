package io.yoo.installer.core.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class H2StateStoreTest extends StateStoreContract {
    @TempDir
    Path stateDir;

    @Override
    protected JdbcConfig config() {
        return JdbcConfig.h2File(stateDir);
    }

    @Test
    void createsTheDatabaseFileInTheStateDir() throws Exception {
        openStore();
        assertThat(stateDir.resolve("yoo.mv.db")).exists();
    }

    /**
     * A child JVM records events and prints "ack N" after each record() returned; we kill -9 it
     * mid-stream. Every acknowledged event must be in the database afterwards.
     */
    @Test
    void killDashNineLosesNoAcknowledgedEvent() throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), StoreCrashChild.class.getName(), stateDir.toString())
                .redirectErrorStream(true).start();
        long acked = -1;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("ack ")) {
                    acked = Long.parseLong(line.substring(4));
                    if (acked >= 300) {
                        break;
                    }
                }
            }
            child.destroyForcibly(); // SIGKILL: no shutdown hooks, no H2 close
            assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(acked).as("child acknowledged events").isGreaterThanOrEqualTo(300);
        JdbcStateStore s = openStore();
        long stored = 0;
        for (int m = 0; m < StoreCrashChild.MACHINES; m++) {
            stored += s.history("c" + m, 1_000_000).size();
        }
        assertThat(stored).isGreaterThanOrEqualTo(acked);
    }
}
