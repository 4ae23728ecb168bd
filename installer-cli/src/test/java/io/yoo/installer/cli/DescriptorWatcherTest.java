package io.yoo.installer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The descriptor watcher reloads on a hand edit of the descriptor and of the file it includes
 * (enrolled.yml, here in another directory), each once per save.
 */
class DescriptorWatcherTest {
    @TempDir
    Path dir;

    @Test
    void anEditOfTheIncludedFileReloadsLikeAnEditOfTheDescriptor() throws Exception {
        Path descriptor = Files.writeString(dir.resolve("cluster.yml"), "cluster: lab\n");
        Path enrolled = Files.writeString(Files.createDirectories(dir.resolve("inc")).resolve("enrolled.yml"), "machines:\n");
        LinkedBlockingQueue<String> reloads = new LinkedBlockingQueue<>();
        DescriptorWatcher w = new DescriptorWatcher(List.of(descriptor, enrolled), () -> reloads.add("reload"));
        w.start();
        try {
            edit(enrolled, "machines:\n  - name: by-hand\n", 1);
            assertThat(reloads.poll(20, TimeUnit.SECONDS)).as("a reload after editing enrolled.yml").isEqualTo("reload");
            edit(descriptor, "cluster: lab2\n", 2);
            assertThat(reloads.poll(20, TimeUnit.SECONDS)).as("a reload after editing the descriptor").isEqualTo("reload");
            // one save, one reload (the poll above waited out the debounce of the second save)
            assertThat(reloads).isEmpty();
        } finally {
            w.stop();
        }
    }

    /** Writes the file and gives it a distinct modification time (a coarse clock could repeat one). */
    static void edit(Path file, String text, int n) throws Exception {
        Files.writeString(file, text);
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2030-01-01T00:00:00Z").plusSeconds(n)));
    }
}
