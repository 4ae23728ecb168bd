package io.yoo.installer.http.assets;

import java.nio.file.Files;
import java.nio.file.Path;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.http.support.ClientAddress;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.content.HttpContent;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /assets/...} from the asset directory through Jetty's ResourceService: Range, ETag /
 * Last-Modified / If-None-Match, HEAD, and files of any size streamed from disk (never read into
 * memory). Jetty normalises the URI and refuses {@code ..} and encoded-separator tricks, and its
 * context alias check refuses symlinks that lead out of the directory. On top of that, only paths
 * the {@code servable} predicate accepts (e.g. "verified by the asset manager") are served.
 */
public final class AssetHandler extends Handler.Wrapper {
    private static final Logger LOG = LoggerFactory.getLogger(AssetHandler.class);
    public static final String PREFIX = "/assets";

    private final String prefix;
    private final AssetGate gate;
    private final AssetRefusals refusals;
    private final Function<Ipv4, String> who;
    private final RangeSender ranges;

    public AssetHandler(Path assetDir, Predicate<String> servable) {
        this(assetDir, AssetGate.of(servable), new AssetRefusals(), Ipv4::toString, PREFIX);
    }

    /**
     * @param refusals where refused requests are logged and remembered per client
     * @param who      names a client address in the log (e.g. "10.12.1.1 (node-1)")
     * @param prefix   URL path the directory appears under: {@code /assets}, or {@code ""} for the root
     */
    public AssetHandler(Path assetDir, AssetGate gate, AssetRefusals refusals, Function<Ipv4, String> who, String prefix) {
        this.prefix = prefix;
        this.gate = gate;
        this.refusals = refusals;
        this.who = who;
        this.ranges = new RangeSender(assetDir.toAbsolutePath().normalize());
        if (!Files.isDirectory(assetDir)) {
            LOG.warn("asset directory {} does not exist: /assets/ will answer 404 until it does", assetDir);
        }
        ContextHandler context = new ContextHandler(prefix.isEmpty() ? "/" : prefix);
        ResourceHandler files = new ResourceHandler() {
            @Override
            protected HttpContent.Factory newHttpContentFactory(ByteBufferPool.Sized pool) {
                HttpContent.Factory jetty = super.newHttpContentFactory(pool);
                return path -> largeFilesByRegion(jetty.getContent(path));
            }
        };
        files.setBaseResource(ResourceFactory.of(context).newResource(assetDir.toAbsolutePath().normalize()));
        files.setDirAllowed(false);
        files.setAcceptRanges(true);
        files.setEtags(true);
        // Not Jetty's memory mapping: its multi-buffer mapped content (files > 2 GiB) writes the
        // wrong byte count for Range requests (500 "written 13 > 6 content-length"; pinned by
        // AssetsTest), and it keeps whole images mapped (RSS). Large files go through
        // LargeFileContent instead.
        files.setMinMappedFileSize(0); // 0: never map (setUseFileMapping(false) is marked for removal)
        // files change rarely but do change (a new Flatcar release): let clients revalidate
        files.setCacheControl("no-cache");
        context.setHandler(files);
        setHandler(context);
    }

    /** Large regular files are sent by FileRegionWriter; everything else as Jetty does. */
    private static HttpContent largeFilesByRegion(HttpContent content) {
        if (content == null || content.getContentLengthValue() < LargeFileContent.THRESHOLD || content.getResource() == null) {
            return content;
        }
        Path file = content.getResource().getPath();
        return file != null && Files.isRegularFile(file) ? new LargeFileContent(content, file) : content;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String method = request.getMethod();
        if (!HttpMethod.GET.is(method) && !HttpMethod.HEAD.is(method)) {
            return false;
        }
        String path = request.getHttpURI().getDecodedPath();
        if (!path.startsWith(prefix + "/")) {
            return false;
        }
        String relative = path.substring(prefix.length() + 1);
        if (relative.isEmpty()) {
            return false;
        }
        Optional<String> refusal = gate.refusal(relative);
        if (refusal.isPresent()) {
            Optional<Ipv4> client = ClientAddress.of(request);
            refusals.refused(client, client.map(who).orElse("?"), relative, refusal.get());
            return false; // 404 (what a client may know); the reason is in the log and the machine's record
        }
        String range = request.getHeaders().get(HttpHeader.RANGE);
        if (RangeSender.handles(range, request.getHeaders().get(HttpHeader.IF_RANGE))) {
            Optional<Path> file = ranges.resolve(relative);
            if (file.isEmpty()) {
                return false;
            }
            ranges.send(file.get(), range, HttpMethod.HEAD.is(method), response, callback);
            return true;
        }
        return super.handle(request, response, callback);
    }
}
