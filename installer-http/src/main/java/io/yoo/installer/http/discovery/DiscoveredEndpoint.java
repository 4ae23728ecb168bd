package io.yoo.installer.http.discovery;

import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.core.discovery.DiscoveredMachine;
import io.yoo.installer.core.discovery.EnrollmentTokens;
import io.yoo.installer.core.discovery.Inventory;
import io.yoo.installer.core.discovery.InventoryParser;
import io.yoo.installer.core.render.MachineArtifacts;
import io.yoo.installer.core.state.DiscoveryStore;
import io.yoo.installer.core.state.StateStoreException;
import io.yoo.installer.http.support.BearerToken;
import io.yoo.installer.http.support.BoundedBody;
import io.yoo.installer.http.support.ClientAddress;
import io.yoo.installer.http.support.Problem;
import io.yoo.installer.http.support.Responses;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/v1/discovered}. {@code POST}: a machine in discovery reports its inventory with its
 * enrollment token as bearer (bound to the MAC it booted with, which the body's {@code bootMac}
 * must be); the body is bounded and validated ({@link InventoryParser}); a forged or expired token
 * is refused (403) before anything is stored. {@code GET}: the discovered machines with their
 * inventory, for an admin token ({@code list}, guarded by the route table). Served on the install
 * network's listener too, since machines POST there; the GET needs the admin token wherever it is asked.
 */
public final class DiscoveredEndpoint extends Handler.Abstract {
    public static final String PATH = "/api/v1/discovered";
    private static final Logger LOG = LoggerFactory.getLogger(DiscoveredEndpoint.class);

    private final MachineArtifacts artifacts;
    private final EnrollmentTokens tokens;
    private final Optional<DiscoveryStore> store;
    private final Handler list;
    private final Clock clock;

    /** @param list answers GET (the admin-guarded listing) */
    public DiscoveredEndpoint(MachineArtifacts artifacts, EnrollmentTokens tokens, Optional<DiscoveryStore> store, Handler list, Clock clock) {
        this.artifacts = artifacts;
        this.tokens = tokens;
        this.store = store;
        this.list = list;
        this.clock = clock;
    }

    /** An oversized inventory up to this size is read and dropped before the 413 ({@link BoundedBody}). */
    static final int DRAIN_LIMIT = 1024 * 1024;

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (HttpMethod.GET.is(request.getMethod())) {
            return list.handle(request, response, callback);
        }
        if (!HttpMethod.POST.is(request.getMethod())) {
            return Problem.methodNotAllowed(request, response, callback, "GET, POST", "GET lists, POST reports an inventory");
        }
        if (!artifacts.discoversUnknown()) {
            return Responses.error(request, response, callback, 404, "discovery is off (server.discovery)");
        }
        if (store.isEmpty()) {
            return Responses.error(request, response, callback, 503, "this server keeps no discovered machines (no state store)");
        }
        Optional<String> token = BearerToken.of(request);
        if (token.isEmpty() || !EnrollmentTokens.SHAPE.matcher(token.get()).matches()) {
            return Responses.error(request, response, callback, 401, "an enrollment token is required (Authorization: Bearer, from the discovery config)");
        }
        Inventory inventory;
        try {
            Optional<byte[]> body = BoundedBody.read(request, response, InventoryParser.MAX_BYTES, DRAIN_LIMIT);
            if (body.isEmpty()) {
                return Responses.error(request, response, callback, 413, "inventory over " + InventoryParser.MAX_BYTES + " bytes");
            }
            inventory = InventoryParser.parse(body.get());
        } catch (IOException e) {
            return Responses.error(request, response, callback, 400, "the body could not be read");
        } catch (InventoryParser.InvalidInventoryException e) {
            return Responses.error(request, response, callback, 400, "inventory: " + e.getMessage());
        }
        EnrollmentTokens.Verdict verdict = tokens.verify(inventory.bootMac(), token.get());
        if (verdict != EnrollmentTokens.Verdict.VALID) {
            LOG.warn("inventory for {} from {} refused: {}", inventory.bootMac(), source(request), verdict.reason());
            return Responses.error(request, response, callback, 403, verdict.reason());
        }
        DiscoveredMachine d;
        try {
            d = store.get().report(inventory, ClientAddress.of(request).map(Ipv4::toString), clock.instant());
        } catch (StateStoreException e) {
            return Responses.error(request, response, callback, 503, "state store unavailable: " + e.getMessage());
        }
        if (d.status() == DiscoveredMachine.Status.HELD) {
            LOG.warn("discovered machine #{} ({}) is held for the operator: {}", d.id(), d.mac(), d.heldReason().orElse(""));
        } else {
            LOG.info("discovered machine #{}: MAC {}, serial {}, from {}: enroll it to install it", d.id(), d.mac(), d.serial().orElse("?"),
                    source(request));
        }
        return Responses.json(response, callback, 202, Map.of("id", d.id(), "status", d.status().key()));
    }

    private static String source(Request request) {
        return ClientAddress.of(request).map(Ipv4::toString).orElse("?");
    }
}
