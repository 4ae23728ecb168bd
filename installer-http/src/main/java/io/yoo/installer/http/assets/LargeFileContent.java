package io.yoo.installer.http.assets;

import java.nio.file.Path;
import org.eclipse.jetty.http.content.HttpContent;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.Callback;

/**
 * A large file's body written by {@link FileRegionWriter} (sendfile on plain connections, mapped
 * windows elsewhere) rather than copied through 32 KiB read buffers. Jetty's own file mapping maps
 * the whole file and keeps it mapped. Headers, ETags, conditional requests and multi-ranges stay
 * with Jetty's ResourceService; only {@link #writeTo} changes.
 */
final class LargeFileContent extends HttpContent.Wrapper {
    /** Files at least this large are sent by FileRegionWriter; smaller ones as Jetty does. */
    static final long THRESHOLD = 1L << 20;

    private final Path file;

    LargeFileContent(HttpContent wrapped, Path file) {
        super(wrapped);
        this.file = file;
    }

    @Override
    public void writeTo(Content.Sink sink, long offset, long length, Callback callback) {
        FileRegionWriter.write(file, sink, offset, length, callback);
    }
}
