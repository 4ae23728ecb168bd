package io.yoo.installer.http.boot;

import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.core.render.ArtifactKind;
import io.yoo.installer.http.support.ClientAddress;
import io.yoo.installer.http.support.Responses;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /m/{machine}/{token}/{file}}: the per-machine files, rendered by installer-core and
 * served only to their machine (token, and reserved source address when there is one). Anyone
 * else gets 403, logged at WARN.
 */
public final class MachineFileEndpoint extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(MachineFileEndpoint.class);
    public static final String PREFIX = "/m/";

    /** File name in the URL → what to render. */
    static final Map<String, ArtifactKind> FILES = Map.of(
            "boot.ipxe", ArtifactKind.IPXE,
            "grub.cfg", ArtifactKind.GRUB,
            "pxelinux.cfg", ArtifactKind.PXELINUX,
            "live-config", ArtifactKind.LIVE_CONFIG,
            "config", ArtifactKind.INSTALLED_CONFIG,
            "install.sh", ArtifactKind.INSTALL_SCRIPT,
            "kubeadm.yaml", ArtifactKind.KUBEADM,
            "join-token", ArtifactKind.JOIN_TOKEN,
            "join-tokens", ArtifactKind.JOIN_TOKENS);

    private final BootFiles files;
    private final ClientAccess access;

    public MachineFileEndpoint(BootFiles files, ClientAccess access) {
        this.files = files;
        this.access = access;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (BootFiles.refusedMethod(request, response, callback)) {
            return true;
        }
        String path = request.getHttpURI().getDecodedPath();
        String[] parts = path.startsWith(PREFIX) ? path.substring(PREFIX.length()).split("/", -1) : new String[0];
        if (parts.length != 3 || !FILES.containsKey(parts[2])) {
            return Responses.error(request, response, callback, 404, "no such boot file");
        }
        String name = parts[0];
        ArtifactKind kind = FILES.get(parts[2]);
        Optional<Ipv4> source = ClientAddress.of(request);
        ClientAccess.Verdict v = access.withToken(name, parts[1], source, ClientAddress.ipv6(request));
        if (v instanceof ClientAccess.Verdict.Denied d) {
            LOG.warn("403 {} of {} for {}: {}", kind.key(), name, source.map(Ipv4::toString).orElse("?"), d.reason());
            return Responses.error(request, response, callback, 403, "forbidden");
        }
        return files.render(((ClientAccess.Verdict.Allowed) v).machine(), kind, Optional.empty(), request, response, callback);
    }

    /** A machine's boot scripts come from memory; its configs and install script are rendered per request. */
    public static boolean mayBlock(Request request) {
        String path = request.getHttpURI().getDecodedPath();
        ArtifactKind kind = FILES.get(path.substring(path.lastIndexOf('/') + 1));
        return !(path.startsWith(PREFIX) && kind != null && BootFiles.isScript(kind));
    }
}
