package io.yoo.installer.http.assets;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
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
    private final Predicate<String> servable;
    private final RangeSender ranges;

    public AssetHandler(Path assetDir, Predicate<String> servable) {
        this(assetDir, servable, PREFIX);
    }

    /** @param prefix URL path the directory appears under: {@code /assets}, or {@code ""} for the root */
    public AssetHandler(Path assetDir, Predicate<String> servable, String prefix) {
        this.prefix = prefix;
        this.servable = servable;
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
        files.setUseFileMapping(false);
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
        if (relative.isEmpty() || !servable.test(relative)) {
            return false;
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
