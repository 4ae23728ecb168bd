package io.yoo.installer.core.assets.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads URLs to files through a {@link ProxySettings proxy}, resuming partial files with
 * {@code Range} requests. Uses {@link HttpURLConnection} because, unlike
 * {@code java.net.http.HttpClient}, it can go through SOCKS5 as well as HTTP proxies.
 *
 * <p>Resume: when {@code target} already holds N bytes, the request asks for {@code bytes=N-};
 * a {@code 206} whose {@code Content-Range} starts at N is appended, anything else restarts from
 * zero. A connection that drops mid-body is retried (with resume) up to {@code attempts} times.
 * Nothing here decides whether the bytes are good: callers verify before using them.
 */
public final class HttpFetcher implements Fetcher {
    private static final Logger log = LoggerFactory.getLogger(HttpFetcher.class);
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");

    private final ProxySettings proxy;
    private final Duration timeout;
    private final int attempts;
    private final String userAgent;
    private final SSLContext tls;

    /** @param tls trust for HTTPS mirrors, or null for the JDK defaults (see {@link TrustedCertificates}) */
    public HttpFetcher(ProxySettings proxy, Duration timeout, int attempts, SSLContext tls) {
        this.proxy = proxy;
        this.tls = tls;
        this.timeout = timeout;
        this.attempts = Math.max(1, attempts);
        this.userAgent = "yoo-installer/" + versionOrDev();
    }

    public HttpFetcher(ProxySettings proxy, Duration timeout, int attempts) {
        this(proxy, timeout, attempts, null);
    }

    public HttpFetcher(ProxySettings proxy) {
        this(proxy, Duration.ofSeconds(30), 5, null);
    }

    public ProxySettings proxy() {
        return proxy;
    }

    /** A small text file (checksums, version.txt, signatures), whole, at most 1 MiB. */
    @Override
    public byte[] fetchSmall(URI url) throws IOException {
        IOException last = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            HttpURLConnection c = open(url, 0);
            try {
                int status = c.getResponseCode();
                if (status != 200) {
                    throw new FetchException(url + ": HTTP " + status, status);
                }
                try (InputStream in = c.getInputStream()) {
                    byte[] body = in.readNBytes(1 << 20);
                    if (in.read() >= 0) {
                        throw new FetchException(url + ": larger than 1 MiB, not a checksum or signature file", 200);
                    }
                    return body;
                }
            } catch (FetchException e) {
                throw e;
            } catch (IOException e) {
                last = e;
                log.debug("{}: attempt {} failed: {}", url, attempt, e.toString());
            } finally {
                c.disconnect();
            }
        }
        throw new FetchException(url + ": " + last.getMessage() + " (after " + attempts + " attempts)", last);
    }

    /**
     * Downloads {@code url} into {@code target}, continuing what is already there.
     *
     * @return the number of bytes in {@code target} afterwards
     */
    @Override
    public long fetchTo(URI url, Path target, String name, ProgressListener progress) throws IOException {
        Files.createDirectories(target.getParent());
        IOException last = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            long have = Files.exists(target) ? Files.size(target) : 0;
            try {
                return once(url, target, have, name, progress);
            } catch (FetchException e) {
                throw e;
            } catch (IOException e) {
                last = e;
                log.info("{}: transfer broke at attempt {} ({}); resuming", url, attempt, e.toString());
                sleep(Math.min(5000, 200L * attempt * attempt));
            }
        }
        throw new FetchException(url + ": " + last.getMessage() + " (after " + attempts + " attempts)", last);
    }

    private long once(URI url, Path target, long have, String name, ProgressListener progress) throws IOException {
        HttpURLConnection c = open(url, have);
        try {
            int status = c.getResponseCode();
            boolean append;
            long total;
            if (status == 206) {
                Matcher m = CONTENT_RANGE.matcher(String.valueOf(c.getHeaderField("Content-Range")));
                if (!m.matches() || Long.parseLong(m.group(1)) != have) {
                    // the server resumed somewhere else: start again from zero
                    c.disconnect();
                    Files.deleteIfExists(target);
                    return once(url, target, 0, name, progress);
                }
                append = true;
                total = "*".equals(m.group(3)) ? -1 : Long.parseLong(m.group(3));
            } else if (status == 200) {
                append = false;
                long len = c.getContentLengthLong();
                total = len;
            } else if (status == 416 && have > 0) {
                // asked for bytes beyond the end: what we have may be the whole file (verification decides)
                String cr = c.getHeaderField("Content-Range");
                if (cr != null && cr.equals("bytes */" + have)) {
                    progress.started(name, have, have);
                    return have;
                }
                c.disconnect();
                Files.deleteIfExists(target);
                return once(url, target, 0, name, progress);
            } else {
                throw new FetchException(url + ": HTTP " + status, status);
            }
            long start = append ? have : 0;
            progress.started(name, total, start);
            long written = start;
            try (InputStream in = c.getInputStream();
                    OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                            append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
                byte[] buf = new byte[1 << 16];
                int n;
                while ((n = in.read(buf)) > 0) {
                    out.write(buf, 0, n);
                    written += n;
                    progress.advanced(name, n);
                }
            }
            if (total >= 0 && written != total) {
                throw new IOException("connection closed after " + written + " of " + total + " bytes");
            }
            return written;
        } finally {
            c.disconnect();
        }
    }

    private HttpURLConnection open(URI url, long from) throws IOException {
        String scheme = String.valueOf(url.getScheme());
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new FetchException(url + ": only http and https URLs can be fetched", -1);
        }
        HttpURLConnection c = (HttpURLConnection) url.toURL().openConnection(proxy.toProxy());
        if (tls != null && c instanceof HttpsURLConnection https) {
            https.setSSLSocketFactory(tls.getSocketFactory());
        }
        c.setConnectTimeout((int) timeout.toMillis());
        c.setReadTimeout((int) timeout.toMillis());
        c.setInstanceFollowRedirects(true);
        c.setUseCaches(false);
        c.setRequestProperty("User-Agent", userAgent);
        c.setRequestProperty("Accept-Encoding", "identity");
        if (from > 0) {
            c.setRequestProperty("Range", "bytes=" + from + "-");
        }
        return c;
    }

    private static void sleep(long ms) throws IOException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static String versionOrDev() {
        String v = HttpFetcher.class.getPackage().getImplementationVersion();
        return v != null ? v : "dev";
    }
}
