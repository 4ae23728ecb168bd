package io.yoo.installer.core.config.model;

/**
 * A file to place on a machine, in neither dialect yet.
 *
 * @param mode    POSIX permission bits, e.g. {@code 0644}
 */
public record FileSpec(String path, int mode, String content) {

    public FileSpec {
        if (!path.startsWith("/") || path.contains("..")) {
            throw new IllegalArgumentException("file path must be absolute without '..': " + path);
        }
    }

    /** The mode as the octal string cloud-config and humans read, e.g. {@code "0644"}. */
    public String octalMode() {
        return String.format("%04o", mode);
    }
}
