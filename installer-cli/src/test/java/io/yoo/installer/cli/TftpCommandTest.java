package io.yoo.installer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The option checks of {@code yoo tftp} (serving itself is tested in installer-tftp and by the benchmark). */
class TftpCommandTest {
    @TempDir
    Path root;

    @Test
    void missingRootIsAUsageError() {
        assertThat(Yoo.commandLine().execute("tftp", "--port", "0", root.resolve("nope").toString())).isEqualTo(Yoo.EXIT_USAGE);
    }

    @Test
    void blksizeOutsideRfc2348IsAUsageError() {
        assertThat(Yoo.commandLine().execute("tftp", "--port", "0", "--max-blksize", "70000", root.toString())).isEqualTo(Yoo.EXIT_USAGE);
    }

    @Test
    void tftpIsListedAsASubcommand() {
        assertThat(Yoo.commandLine().getSubcommands()).containsKey("tftp");
    }
}
