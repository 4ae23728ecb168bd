package io.yoo.installer.http.api.logs;

import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.core.boot.MachineTokens;
import io.yoo.installer.core.match.MachineDirectory;
import io.yoo.installer.core.state.InstallLogStore;
import io.yoo.installer.core.state.MachineRecord;
import io.yoo.installer.core.state.StateStore;
import io.yoo.installer.core.state.StateStoreException;
import io.yoo.installer.http.boot.TokenCheck;
import io.yoo.installer.http.routing.NamedPathSpec;
import io.yoo.installer.http.support.BoundedBody;
import io.yoo.installer.http.support.ClientAddress;
import io.yoo.installer.http.support.PresentedMachineToken;
import io.yoo.installer.http.support.Problem;
import io.yoo.installer.http.support.Responses;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/machines/{name}/log}: the install script's whole log of the current attempt,
 * sent on success and on failure. Authenticated like progress events, by the machine's token.
 * Body: {@code Content-Type: application/gzip} (gzip) or anything else (the log as text). Stored
 * under the machine's current generation (the attempt the UI and {@code yoo logs} show); a second
 * upload in one attempt replaces the first.
 */
public final class InstallLogUploadEndpoint extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(InstallLogUploadEndpoint.class);
    public static final NamedPathSpec PATH = new NamedPathSpec("^/api/v1/machines/(?<name>[^/]+)/log$");
    /** The largest body taken: the script sends at most 4 MiB of log, compressed when it can. */
    static final int MAX_BODY = 5 << 20;
    /** An oversized body up to this size is read and dropped before the 413 ({@link BoundedBody}). */
    static final int DRAIN_LIMIT = 16 << 20;

    private final TokenCheck tokens;
    private final MachineDirectory machines;
    private final StateStore store;
    private final InstallLogStore logs;

    public InstallLogUploadEndpoint(MachineTokens tokens, MachineDirectory machines, StateStore store, InstallLogStore logs) {
        this.tokens = new TokenCheck(tokens);
        this.machines = machines;
        this.store = store;
        this.logs = logs;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!HttpMethod.POST.is(request.getMethod()) && !HttpMethod.PUT.is(request.getMethod())) {
            return Problem.methodNotAllowed(request, response, callback, "POST, PUT", "use POST or PUT");
        }
        String name = PATH.param(request, "name");
        if (machines.byName(name).isEmpty() || !tokens.verify(name, PresentedMachineToken.of(request))) {
            LOG.warn("403 install log for '{}' from {}", name, ClientAddress.of(request).map(Ipv4::toString).orElse("?"));
            return Responses.error(request, response, callback, 403, "forbidden");
        }
        Optional<byte[]> bytes;
        try {
            bytes = BoundedBody.read(request, response, MAX_BODY, DRAIN_LIMIT);
        } catch (IOException e) {
            return Responses.error(request, response, callback, 400, "cannot read the body: " + e.getMessage());
        }
        if (bytes.isEmpty()) {
            return Responses.error(request, response, callback, 413, "install log body over " + MAX_BODY + " bytes");
        }
        String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        boolean gzip = type != null && type.toLowerCase(Locale.ROOT).matches("\\s*application/(x-)?gzip\\s*(;.*)?");
        InstallLogBody body;
        try {
            body = InstallLogBody.of(bytes.get(), gzip);
        } catch (InstallLogBody.Refused e) {
            return Responses.error(request, response, callback, e.status(), e.getMessage());
        }
        int attempt;
        try {
            attempt = store.machine(name).map(MachineRecord::generation).orElse(0);
            logs.putLog(name, attempt, Instant.now(), body.bytes(), body.gzip());
        } catch (UnsupportedOperationException e) {
            return Responses.error(request, response, callback, 503, e.getMessage());
        } catch (StateStoreException | IllegalStateException e) {
            LOG.error("cannot store the install log of {}: {}", name, e.getMessage());
            return Responses.error(request, response, callback, 503, "state store unavailable; retry");
        }
        LOG.info("install log of {} attempt {}: {} bytes ({} compressed)", name, attempt, body.bytes(), body.gzip().length);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("machine", name);
        answer.put("attempt", attempt);
        answer.put("bytes", body.bytes());
        answer.put("compressedBytes", body.gzip().length);
        return Responses.json(response, callback, 200, answer);
    }
}
