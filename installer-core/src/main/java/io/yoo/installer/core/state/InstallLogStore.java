package io.yoo.installer.core.state;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The install logs machines upload: one per machine and attempt (the record's generation at the
 * upload), gzip-compressed; the newest {@value #KEEP_ATTEMPTS} attempts of each machine are kept,
 * so a machine reprovisioned every day does not fill the database.
 */
public interface InstallLogStore {
    int KEEP_ATTEMPTS = 10;

    /** A store that keeps no logs (a server without a database behind it). */
    InstallLogStore NONE = new InstallLogStore() {
        @Override
        public void putLog(String machine, int attempt, Instant at, long bytes, byte[] gzip) {
            throw new UnsupportedOperationException("this server keeps no install logs");
        }

        @Override
        public Optional<byte[]> log(String machine, int attempt) {
            return Optional.empty();
        }

        @Override
        public List<InstallLogInfo> logs(String machine) {
            return List.of();
        }
    };

    /**
     * Stores (or replaces: the last upload of an attempt wins) the log of {@code machine}'s
     * {@code attempt}, and drops its logs older than the newest {@value #KEEP_ATTEMPTS} attempts.
     *
     * @param bytes the log's uncompressed size
     * @param gzip  the log, gzip-compressed
     */
    void putLog(String machine, int attempt, Instant at, long bytes, byte[] gzip);

    /** The gzip-compressed log of that attempt. */
    Optional<byte[]> log(String machine, int attempt);

    /** The machine's logs (without their content), newest attempt first. */
    List<InstallLogInfo> logs(String machine);
}
