package io.yoo.installer.tftp.files;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks an untrusted TFTP file name before it gets anywhere near the file system. Pure: no I/O.
 *
 * <p>Refused outright rather than "cleaned": absolute paths, backslashes (Windows-style escapes
 * and {@code ..\}), {@code %} (so {@code %2e%2e} can never be decoded by anyone later), NUL and
 * other control bytes, non-ASCII bytes, and {@code .}/{@code ..} segments. Cleaning invites
 * bypasses; PXE clients send plain relative names.
 */
public final class RequestPath {
    private RequestPath() {}

    /** Longest name accepted; real boot file names are far shorter. */
    public static final int MAX_LENGTH = 1024;

    /** @return the name's segments (non-empty, no dot segments) in order */
    public static List<String> segments(String name) throws PathRefusedException {
        if (name.isEmpty()) {
            throw refused("empty file name");
        }
        if (name.length() > MAX_LENGTH) {
            throw refused("file name longer than " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == 0) {
                throw refused("NUL byte in file name");
            }
            if (c < 0x20 || c == 0x7F) {
                throw refused("control character 0x" + Integer.toHexString(c) + " in file name");
            }
            if (c > 0x7E) {
                throw refused("non-ASCII byte 0x" + Integer.toHexString(c) + " in file name");
            }
            if (c == '\\') {
                throw refused("backslash in file name");
            }
            if (c == '%') {
                throw refused("'%' in file name (percent-encoding is not decoded)");
            }
        }
        if (name.charAt(0) == '/') {
            throw refused("absolute path");
        }
        List<String> segments = new ArrayList<>();
        for (String s : name.split("/", -1)) {
            if (s.isEmpty()) {
                throw refused("empty path segment");
            }
            if (s.equals(".") || s.equals("..")) {
                throw refused("'" + s + "' segment in file name");
            }
            segments.add(s);
        }
        return List.copyOf(segments);
    }

    private static PathRefusedException refused(String why) {
        return new PathRefusedException("access violation: " + why, false);
    }
}
