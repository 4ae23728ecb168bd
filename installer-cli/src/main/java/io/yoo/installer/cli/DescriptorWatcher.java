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
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls {@code onChange} when the descriptor file or a file it includes ({@code machinesFrom:
 * enrolled.yml}, edited by hand as well as by enroll and change-ip) changes (editors replace
 * files, so the directories are watched and each file's modification time compared), or when the
 * process gets SIGHUP. Changes are debounced: an editor's save is several events. The files are
 * those the descriptor named at start; a machinesFrom added later is read at each reload but
 * watched from the next start.
 */
final class DescriptorWatcher implements Lifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(DescriptorWatcher.class);
    private static final FileTime MISSING = FileTime.fromMillis(0);
    private final List<Path> files;
    private final Runnable onChange;
    private WatchService watch;
    private Thread thread;
    private volatile List<FileTime> lastSeen;

    DescriptorWatcher(Path file, Runnable onChange) {
        this(List.of(file), onChange);
    }

    /** Watches every one of {@code files} (the descriptor first): a change to any calls {@code onChange} once. */
    DescriptorWatcher(List<Path> files, Runnable onChange) {
        this.files = files.stream().map(f -> f.toAbsolutePath().normalize()).distinct().toList();
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
        for (Path dir : new LinkedHashSet<>(files.stream().map(Path::getParent).toList())) {
            dir.register(watch, StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_CREATE,
                    StandardWatchEventKinds.ENTRY_DELETE);
        }
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
                List<FileTime> now = modified();
                // the descriptor itself gone (an editor between delete and create): wait for it
                if (!now.getFirst().equals(MISSING) && !now.equals(lastSeen)) {
                    lastSeen = now;
                    onChange.run();
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // stopping
        }
    }

    /** Each file's modification time; MISSING for one that does not exist (deleting an include is a change too). */
    private List<FileTime> modified() {
        List<FileTime> times = new ArrayList<>();
        for (Path f : files) {
            try {
                times.add(Files.getLastModifiedTime(f));
            } catch (IOException e) {
                times.add(MISSING);
            }
        }
        return times;
    }

    @SuppressWarnings("restriction")
    private void installSighup() {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), sig -> {
                LOG.info("SIGHUP: reloading {}", files.getFirst());
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
