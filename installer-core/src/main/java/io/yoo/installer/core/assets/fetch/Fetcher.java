package io.yoo.installer.core.assets.fetch;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;

/**
 * How {@code AssetSync} gets bytes: the one place that talks to the network. {@link HttpFetcher}
 * is the implementation (HTTP/HTTPS, HTTP and SOCKS5 proxies, resume); keeping the sync logic
 * behind this interface lets it be tested and moved without its sockets.
 */
public interface Fetcher {

    /** A small file (checksums, signatures, version.txt), whole; at most 1 MiB. */
    byte[] fetchSmall(URI url) throws IOException;

    /**
     * Downloads {@code url} into {@code target}, continuing the bytes already there when the
     * server supports ranges; reports progress under {@code name}.
     *
     * @return the size of {@code target} afterwards
     */
    long fetchTo(URI url, Path target, String name, ProgressListener progress) throws IOException;
}
