package io.yoo.installer.cli;

import io.yoo.installer.api.lifecycle.Lifecycle;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls {@code onChange} when the descriptor file changes (editors replace files, so the
 * directory is watched and the file's modification time compared), or when the process gets
 * SIGHUP. Changes are debounced: an editor's save is several events.
 */
final class DescriptorWatcher implements Lifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(DescriptorWatcher.class);
    private final Path file;
    private final Runnable onChange;
    private WatchService watch;
    private Thread thread;
    private volatile FileTime lastSeen;

    DescriptorWatcher(Path file, Runnable onChange) {
        this.file = file.toAbsolutePath().normalize();
        this.onChange = onChange;
    }

    @Override
    public String name() {
        return "descriptor-watcher";
    }

    @Override
    public synchronized void start() throws IOException {
        lastSeen = modified();
        watch = FileSystems.getDefault().newWatchService();
        file.getParent().register(watch, StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_CREATE,
                StandardWatchEventKinds.ENTRY_DELETE);
        thread = Thread.ofPlatform().daemon().name("yoo-descriptor-watch").start(this::loop);
        installSighup();
    }

    private void loop() {
        try {
            while (true) {
                WatchKey key = watch.take();
                key.pollEvents();
                key.reset();
                // debounce: an editor's save arrives as several events
                while (true) {
                    WatchKey more = watch.poll(300, TimeUnit.MILLISECONDS);
                    if (more == null) {
                        break;
                    }
                    more.pollEvents();
                    more.reset();
                }
                FileTime now = modified();
                if (now != null && !now.equals(lastSeen)) {
                    lastSeen = now;
                    onChange.run();
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // stopping
        }
    }

    private FileTime modified() {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return null;
        }
    }

    @SuppressWarnings("restriction")
    private void installSighup() {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), sig -> {
                LOG.info("SIGHUP: reloading {}", file);
                Thread.ofVirtual().start(onChange);
            });
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            LOG.debug("no SIGHUP handling here: {}", e.getMessage());
        }
    }

    @Override
    public synchronized void stop() {
        if (watch != null) {
            try {
                watch.close();
            } catch (IOException e) {
                // closing anyway
            }
            watch = null;
        }
        if (thread != null) {
            thread.interrupt();
            thread = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return watch != null;
    }
}
