package io.yoo.installer.cli;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state directory of a server (machines and events in {@code yoo.mv.db}, DHCP leases, the
 * token secret, the admin token, the cluster's CA keys): nobody but the server's user may read
 * any of it. {@link #prepare} creates it 0700, or tightens one an older Yoo left 0755 with
 * {@code yoo.mv.db} 0644 (and logs what it changed); {@link #ownerOnlyFromNowOn()} makes every
 * file the process creates afterwards (H2's files, DHCP lease snapshots) 0600 from its first byte.
 */
final class StateDirectory {
    private static final Logger LOG = LoggerFactory.getLogger("yoo.state");
    private static final Set<PosixFilePermission> GROUP_OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
    /** How many tightened names the log line lists before "and N more". */
    private static final int NAMES_LOGGED = 8;

    private StateDirectory() {}

    /**
     * Sets the process umask to (at least) 077. Process-wide on purpose: a server creates files
     * in its state directory at any time (H2 opens new files, the DHCP server writes lease
     * snapshots), and nothing it writes is meant for other users. Returns false (and the caller
     * relies on the 0700 directory alone) when the C library cannot be called.
     */
    static boolean ownerOnlyFromNowOn() {
        try {
            Linker linker = Linker.nativeLinker();
            MethodHandle umask = linker.downcallHandle(linker.defaultLookup().find("umask").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            int old = (int) umask.invokeExact(0077);
            if ((old | 0077) != 0077) {
                int ignored = (int) umask.invokeExact(old | 0077); // keep bits the caller's umask already cleared
            }
            return true;
        } catch (Throwable e) {
            LOG.debug("cannot set the umask: {}", e.toString());
            return false;
        }
    }

    /**
     * Creates {@code dir} (mode 0700) or takes group and other permissions away from it and from
     * everything in it (symlinks are left alone, never followed). Logs one line naming what it
     * tightened; returns those paths.
     */
    static List<Path> prepare(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------")); // whatever the umask was
            return List.of();
        }
        List<Path> tightened = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                tighten(d);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                if (attrs.isRegularFile() || attrs.isDirectory()) {
                    tighten(f);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path f, IOException e) {
                failed.add(f + " (" + e.getMessage() + ")");
                return FileVisitResult.CONTINUE;
            }

            private void tighten(Path p) {
                try {
                    PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class,
                            LinkOption.NOFOLLOW_LINKS);
                    Set<PosixFilePermission> perms = view.readAttributes().permissions();
                    if (perms.stream().anyMatch(GROUP_OTHERS::contains)) {
                        Set<PosixFilePermission> owner = EnumSet.copyOf(perms);
                        owner.removeAll(GROUP_OTHERS);
                        view.setPermissions(owner);
                        tightened.add(p);
                    }
                } catch (IOException | UnsupportedOperationException e) {
                    failed.add(p + " (" + e.getMessage() + ")");
                }
            }
        });
        if (!tightened.isEmpty()) {
            List<String> names = tightened.stream().limit(NAMES_LOGGED).map(p -> p.equals(dir) ? "the directory" : dir.relativize(p).toString())
                    .toList();
            LOG.warn("state directory {}: readable by other users (made by an older Yoo?), now owner-only: {}{}", dir,
                    String.join(", ", names), tightened.size() > NAMES_LOGGED ? " and " + (tightened.size() - NAMES_LOGGED) + " more" : "");
        }
        if (!failed.isEmpty()) {
            LOG.warn("state directory {}: could not make owner-only: {}", dir, String.join(", ", failed));
        }
        return tightened;
    }
}
