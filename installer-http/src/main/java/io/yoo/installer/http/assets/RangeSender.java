package io.yoo.installer.http.assets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Serves single-range requests ({@code Range: bytes=a-b}, {@code a-}, {@code -n}) straight from the
 * file region ({@link FileRegionWriter}: sendfile on plain connections). Jetty 12.1's
 * ResourceService gets ranges in large files wrong (mapped: 500 with a content-length mismatch;
 * unmapped: it reads up to the offset, minutes for an offset past 4 GiB),
 * and {@code flatcar-install}/curl resume with ranges on multi-GiB images. Multi-range and
 * {@code If-Range} requests still go to Jetty.
 */
final class RangeSender {
    private static final Pattern SINGLE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    private final Path root;

    RangeSender(Path root) {
        this.root = root;
    }

    /** The file under the root for this relative path, refusing anything that leaves it (also via symlinks). */
    Optional<Path> resolve(String relative) {
        try {
            Path real = root.toRealPath();
            Path p = real.resolve(relative).normalize();
            if (!p.startsWith(real) || !Files.isRegularFile(p)) {
                return Optional.empty();
            }
            Path target = p.toRealPath();
            return target.startsWith(real) && Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS) ? Optional.of(target) : Optional.empty();
        } catch (IOException | InvalidPathException e) {
            return Optional.empty();
        }
    }

    /** True when this is a request we serve; false leaves it to Jetty. */
    static boolean handles(String range, String ifRange) {
        return range != null && ifRange == null && SINGLE.matcher(range.strip()).matches();
    }

    void send(Path file, String range, boolean head, Response response, Callback callback) throws IOException {
        long size = Files.size(file);
        Matcher m = SINGLE.matcher(range.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a single range: " + range);
        }
        long first;
        long last;
        if (m.group(1).isEmpty()) {
            if (m.group(2).isEmpty()) {
                unsatisfiable(size, response, callback);
                return;
            }
            long n = Long.parseLong(m.group(2));
            first = Math.max(0, size - n);
            last = size - 1;
        } else {
            first = Long.parseLong(m.group(1));
            last = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
        }
        if (first >= size || last < first) {
            unsatisfiable(size, response, callback);
            return;
        }
        long length = last - first + 1;
        response.setStatus(206);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
        response.getHeaders().put(HttpHeader.ACCEPT_RANGES, "bytes");
        response.getHeaders().put(HttpHeader.CONTENT_RANGE, "bytes " + first + "-" + last + "/" + size);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, length);
        if (head) {
            response.write(true, null, callback);
            return;
        }
        FileRegionWriter.write(file, response, first, length, callback);
    }

    private static void unsatisfiable(long size, Response response, Callback callback) {
        response.setStatus(416);
        response.getHeaders().put(HttpHeader.CONTENT_RANGE, "bytes */" + size);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0);
        response.write(true, null, callback);
    }
}
