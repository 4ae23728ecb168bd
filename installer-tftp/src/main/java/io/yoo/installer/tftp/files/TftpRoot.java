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
 */
public final class TftpRoot {
    private final Path root;

    public TftpRoot(Path root) throws IOException {
        this.root = root.toRealPath();
        if (!Files.isDirectory(this.root)) {
            throw new IOException("TFTP root " + root + " is not a directory");
        }
    }

    public Path path() {
        return root;
    }

    /** @param name the file name from the request, untrusted */
    public Path resolve(String name) throws PathRefusedException {
        List<String> segments = RequestPath.segments(name);
        Path p = root;
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
        if (!real.startsWith(root)) {
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
}
