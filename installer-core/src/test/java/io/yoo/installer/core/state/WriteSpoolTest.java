package io.yoo.installer.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outage spool's file format: kept across reopen, a damaged tail dropped and counted, the bound held. */
class WriteSpoolTest {
    @TempDir
    Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> strings(WriteSpool s) {
        return s.records().stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
    }

    @Test
    void recordsSurviveAReopenInOrder() throws IOException {
        Path f = dir.resolve("spool");
        try (WriteSpool s = WriteSpool.open(f, 1 << 20)) {
            assertThat(s.append(bytes("one"))).isTrue();
            assertThat(s.append(bytes("two"))).isTrue();
            assertThat(s.append(bytes("three"))).isTrue();
        }
        try (WriteSpool s = WriteSpool.open(f, 1 << 20)) {
            assertThat(strings(s)).containsExactly("one", "two", "three");
            assertThat(s.count()).isEqualTo(3);
            assertThat(s.droppedAtOpen()).isZero();
            s.clear();
            assertThat(s.records()).isEmpty();
        }
        try (WriteSpool s = WriteSpool.open(f, 1 << 20)) {
            assertThat(s.count()).isZero();
        }
    }

    @Test
    void aTruncatedLastRecordIsDroppedAndCountedTheOthersKept() throws IOException {
        Path f = dir.resolve("spool");
        try (WriteSpool s = WriteSpool.open(f, 1 << 20)) {
            s.append(bytes("first"));
            s.append(bytes("second"));
            s.append(bytes("a third one, cut short by a crash"));
        }
        long size = Files.size(f);
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(size - 7); // the crash hit mid-append
        }
        try (WriteSpool s = WriteSpool.open(f, 1 << 20)) {
            assertThat(strings(s)).containsExactly("first", "second");
            assertThat(s.droppedAtOpen()).isEqualTo(1);
            assertThat(s.append(bytes("after"))).isTrue(); // appended where the good records end
        }
        try (WriteSpool s = WriteSpool.open(f, 1 << 20)) {
            assertThat(strings(s)).containsExactly("first", "second", "after");
            assertThat(s.droppedAtOpen()).isZero();
        }
    }

    @Test
    void aLastRecordWithABadChecksumIsDropped() throws IOException {
        Path f = dir.resolve("spool");
        try (WriteSpool s = WriteSpool.open(f, 1 << 20)) {
            s.append(bytes("kept"));
            s.append(bytes("garbled"));
        }
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.seek(Files.size(f) - 2);
            raf.write('X'); // a torn sector: the length is right, the bytes are not
        }
        try (WriteSpool s = WriteSpool.open(f, 1 << 20)) {
            assertThat(strings(s)).containsExactly("kept");
            assertThat(s.droppedAtOpen()).isEqualTo(1);
        }
    }

    @Test
    void aFullSpoolRefusesWithoutWriting() throws IOException {
        Path f = dir.resolve("spool");
        long bound = WriteSpool.HEADER.length + 2L * (WriteSpool.RECORD_OVERHEAD + 10);
        try (WriteSpool s = WriteSpool.open(f, bound)) {
            assertThat(s.append(new byte[10])).isTrue();
            assertThat(s.append(new byte[10])).isTrue();
            assertThat(s.append(new byte[1])).isFalse();
            assertThat(s.count()).isEqualTo(2);
            assertThat(Files.size(f)).isEqualTo(bound);
        }
    }

    @Test
    void aFileThatIsNoSpoolIsRefused() throws IOException {
        Path f = dir.resolve("spool");
        Files.writeString(f, "something else entirely");
        assertThatThrownBy(() -> WriteSpool.open(f, 1 << 20)).isInstanceOf(IOException.class).hasMessageContaining("not a yoo write spool");
    }

    @Test
    void aQueuedEventRoundTripsWithItsIdAndOriginalTime() {
        ProgressEvent e = new ProgressEvent("node-1", EventSource.CALLBACK, "install-os", EventStatus.FAILED, Optional.of("disk é full"),
                Optional.of("52:54:00:00:00:01"), Optional.empty(), Instant.parse("2026-12-05T05:00:00.123Z"));
        QueuedEvent q = QueuedEvent.decode(new QueuedEvent("id-1", e).encode());
        assertThat(q).isEqualTo(new QueuedEvent("id-1", e));
        assertThatThrownBy(() -> QueuedEvent.decode(new byte[] {9})).isInstanceOf(IllegalArgumentException.class);
    }
}
