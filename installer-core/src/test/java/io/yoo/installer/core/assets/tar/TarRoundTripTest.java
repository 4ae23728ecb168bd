package io.yoo.installer.core.assets.tar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.yoo.installer.testsupport.Peers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarRoundTripTest {

    @Test
    void writesAndReadsBackLongNamesAndOddSizes() throws Exception {
        String longName = "kubernetes/1.31.4/images/" + "registry.k8s.io_kube-controller-manager_v1.31.4-".repeat(2) + "x.tar";
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (TarWriter w = new TarWriter(bos)) {
            w.add("a", new byte[0], 0);
            w.add("b/c", new byte[513], 0);
            w.add(longName, "hello".getBytes(), 0);
        }
        TarReader r = new TarReader(new ByteArrayInputStream(bos.toByteArray()));
        assertThat(r.next()).satisfies(e -> assertThat(e.name()).isEqualTo("a"));
        TarReader.Entry bc = r.next();
        assertThat(bc.name()).isEqualTo("b/c");
        assertThat(bc.size()).isEqualTo(513);
        TarReader.Entry l = r.next();
        assertThat(l.name()).isEqualTo(longName);
        assertThat(l.content().readAllBytes()).isEqualTo("hello".getBytes());
        assertThat(r.next()).isNull();
    }

    @Test
    void readsWhatGnuTarWrites(@TempDir Path dir) throws Exception {
        Peers.requireCommands("tar");
        Files.createDirectories(dir.resolve("src/bin"));
        Files.write(dir.resolve("src/bin/crictl"), new byte[1500]);
        Process p = new ProcessBuilder("tar", "-C", dir.resolve("src").toString(), "-cf", dir.resolve("t.tar").toString(), "bin").start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        TarReader r = new TarReader(Files.newInputStream(dir.resolve("t.tar")));
        TarReader.Entry e = r.next(); // the directory entry is skipped
        assertThat(e.name()).isEqualTo("bin/crictl");
        assertThat(e.content().readAllBytes()).hasSize(1500);
        assertThat(r.next()).isNull();
    }

    @Test
    void gnuTarReadsOurLongPaxNames(@TempDir Path dir) throws Exception {
        Peers.requireCommands("tar");
        String longName = "kubernetes/1.31.4/images/" + "a".repeat(140) + ".tar";
        try (TarWriter w = new TarWriter(Files.newOutputStream(dir.resolve("b.tar")))) {
            w.add(longName, "x".getBytes(), 0);
        }
        Process p = new ProcessBuilder("tar", "-tf", dir.resolve("b.tar").toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(out.strip()).isEqualTo(longName);
    }

    @Test
    void refusesLinksAndGarbage() throws Exception {
        byte[] h = TarWriter.header("evil", 0, 0);
        h[156] = '2'; // symlink
        // fix the checksum for the changed type byte
        long sum = 0;
        for (int i = 0; i < 512; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : (h[i] & 0xff);
        }
        byte[] cs = String.format("%06o\0 ", sum).getBytes();
        System.arraycopy(cs, 0, h, 148, 8);
        assertThatThrownBy(() -> new TarReader(new ByteArrayInputStream(h)).next()).hasMessageContaining("only regular files");
        byte[] garbage = new byte[512];
        Arrays.fill(garbage, (byte) 7);
        assertThatThrownBy(() -> new TarReader(new ByteArrayInputStream(garbage)).next()).hasMessageContaining("not a tar file");
    }
}
