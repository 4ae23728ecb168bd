package io.yoo.installer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * {@link StateDirectory#prepare}: a new state directory is 0700; one an older Yoo left readable
 * (dir 0755, yoo.mv.db 0644) is tightened, and the log says what changed. (The umask half is
 * covered by ServeCommandTest, in its own process: it would change this JVM's umask.)
 */
class StateDirectoryTest {
    @TempDir
    Path dir;
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger("yoo.state");

    @BeforeEach
    void captureLog() {
        log.start();
        logger.addAppender(log);
    }

    @AfterEach
    void releaseLog() {
        logger.detachAppender(log);
    }

    @Test
    void aNewStateDirectoryIsOwnerOnly() throws Exception {
        Path state = dir.resolve("a/state");
        assertThat(StateDirectory.prepare(state)).isEmpty();
        assertThat(mode(state)).isEqualTo("rwx------");
        assertThat(log.list).isEmpty();
    }

    @Test
    void anOlderReadableStateDirectoryIsTightenedAndTheLogSaysSo() throws Exception {
        Path state = Files.createDirectories(dir.resolve("state"));
        Path db = Files.writeString(state.resolve("yoo.mv.db"), "h2");
        Path leases = Files.createDirectories(state.resolve("dhcp"));
        Path journal = Files.writeString(leases.resolve("leases.journal"), "x");
        Path secret = Files.writeString(state.resolve("token-secret"), "s");
        Path outside = Files.writeString(dir.resolve("elsewhere.txt"), "not ours");
        Files.createSymbolicLink(state.resolve("link"), outside);
        chmod(state, "rwxr-xr-x");
        chmod(leases, "rwxr-xr-x");
        chmod(db, "rw-r--r--");
        chmod(journal, "rw-rw-r--");
        chmod(secret, "rw-------");
        chmod(outside, "rw-r--r--");

        assertThat(StateDirectory.prepare(state)).containsExactlyInAnyOrder(state, db, leases, journal);

        assertThat(mode(state)).isEqualTo("rwx------");
        assertThat(mode(leases)).isEqualTo("rwx------");
        assertThat(mode(db)).isEqualTo("rw-------");
        assertThat(mode(journal)).isEqualTo("rw-------");
        assertThat(mode(secret)).isEqualTo("rw-------");
        assertThat(mode(outside)).as("a symlink's target outside is not ours to change").isEqualTo("rw-r--r--");
        assertThat(log.list).singleElement().satisfies(e -> assertThat(e.getFormattedMessage())
                .contains(state.toString(), "now owner-only", "the directory", "yoo.mv.db", "dhcp/leases.journal")
                .doesNotContain("token-secret"));

        // the next start finds nothing to do and says nothing
        log.list.clear();
        assertThat(StateDirectory.prepare(state)).isEmpty();
        assertThat(log.list).isEmpty();
    }

    private static void chmod(Path p, String mode) throws Exception {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
