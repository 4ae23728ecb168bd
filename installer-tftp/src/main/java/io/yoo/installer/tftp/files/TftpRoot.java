package io.yoo.installer.tftp.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * The read-only directory served over TFTP. {@link #resolve} turns a checked name into a real
 * path and refuses anything whose real location (after following symlinks) is outside the root,
 * so a symlink inside the root pointing at /etc/shadow is refused while one pointing at another
 * file in the root works.
 *
 * <p>A root that does not exist (yet) serves nothing from disk: every name is "file not found",
 * saying the root is missing, while virtual files are still served. It is looked for again on
 * each request, so installing it (e.g. {@code apt install ipxe} for /usr/lib/ipxe) needs no
 * restart. A root that exists but is no directory is refused at start.
 */
public final class TftpRoot {
    private final Path configured;
    private volatile Path root; // the real path once the directory exists

    public TftpRoot(Path root) throws IOException {
        this.configured = root.toAbsolutePath().normalize();
        if (Files.exists(configured) && !Files.isDirectory(configured)) {
            throw new IOException("TFTP root " + root + " is not a directory");
        }
        this.root = realDirectory();
    }

    /** The real path of the root, or the configured one while it does not exist. */
    public Path path() {
        Path r = root;
        return r != null ? r : configured;
    }

    /** False while the root directory does not exist. */
    public boolean exists() {
        return current() != null;
    }

    /** @param name the file name from the request, untrusted */
    public Path resolve(String name) throws PathRefusedException {
        List<String> segments = RequestPath.segments(name);
        Path base = current();
        if (base == null) {
            throw new PathRefusedException("file not found: " + name + " (the TFTP root " + configured + " does not exist)", true);
        }
        Path p = base;
        for (String s : segments) {
            p = p.resolve(s);
        }
        Path real;
        try {
            real = p.toRealPath();
        } catch (NoSuchFileException e) {
            throw new PathRefusedException("file not found: " + name, true);
        } catch (IOException e) {
            throw new PathRefusedException("file not found: " + name + " (" + e.getClass().getSimpleName() + ")", true);
        }
        if (!real.startsWith(base)) {
            throw new PathRefusedException("access violation: " + name + " leads outside the TFTP root", false);
        }
        if (!Files.isRegularFile(real)) {
            throw new PathRefusedException("file not found: " + name + " is not a regular file", true);
        }
        if (!Files.isReadable(real)) {
            throw new PathRefusedException("access violation: " + name + " is not readable", false);
        }
        return real;
    }

    private Path current() {
        Path r = root;
        if (r == null) {
            r = realDirectory();
            root = r;
        }
        return r;
    }

    private Path realDirectory() {
        try {
            Path real = configured.toRealPath();
            return Files.isDirectory(real) ? real : null;
        } catch (IOException e) {
            return null;
        }
    }
}
