package io.yoo.installer.core.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one way the server edits its descriptor files (enroll appends to {@code enrolled.yml},
 * change-ip rewrites an {@code ip:} line in it or in the descriptor): one edit at a time for the
 * whole {@link LiveCluster}, and one writer. Each edit reads a file, writes it, loads the whole
 * descriptor and reloads; two at once (an enrollment and a change-ip, each with a lock of its
 * own) could each write a text made from the other's stale read, and one change would be lost.
 */
public final class DescriptorEdits {
    private final ReentrantLock lock = new ReentrantLock();

    /** An edit made under the lock. */
    @FunctionalInterface
    public interface Edit<T, E extends Exception> {
        T apply() throws E;
    }

    /** Runs {@code edit} with no other edit of this cluster's files running. */
    public <T, E extends Exception> T exclusive(Edit<T, E> edit) throws E {
        lock.lock();
        try {
            return edit.apply();
        } finally {
            lock.unlock();
        }
    }

    /** True while an edit runs (for tests and diagnostics). */
    public boolean busy() {
        return lock.isLocked();
    }

    /**
     * Replaces {@code file} with {@code text} atomically (a sibling temp file, then a rename): a
     * reader, the descriptor watcher or a reload, sees the old text or the new one, never half.
     */
    public static void write(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
