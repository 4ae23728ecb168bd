package io.yoo.installer.http.api.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.core.boot.MachineTokens;
import io.yoo.installer.core.descriptor.Machine;
import io.yoo.installer.core.match.MachineDirectory;
import io.yoo.installer.core.state.EventSource;
import io.yoo.installer.core.state.EventStatus;
import io.yoo.installer.core.state.InstallPhases;
import io.yoo.installer.core.state.ProgressEvent;
import io.yoo.installer.core.state.StateStore;
import io.yoo.installer.core.state.StateStoreException;
import io.yoo.installer.core.state.Transition;
import io.yoo.installer.http.assets.AssetRefusals;
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
 * {@code POST /api/v1/machines/{name}/events}: progress from the install script (and the installed
 * system, and the e2e test OS). Authenticated by the machine's token ({@code ?token=}, header
 * {@code X-Yoo-Token} or {@code Authorization: Bearer}). The answer is sent only after the store
 * committed the event, so a 2xx means the event survives a crash. {@code name} is the machine name
 * (or one of its MACs).
 *
 * <p>Bodies: {@code {"phase":"install-os","status":"started|succeeded|failed","message":"..."}}, or
 * the test OS's {@code {"event":"installed","id":...,"mac":...,"ip":...}} (status defaults to
 * succeeded).
 */
public final class ProgressEventsEndpoint extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(ProgressEventsEndpoint.class);
    /** The machine's name or one of its MACs: not empty, no '/'. */
    public static final NamedPathSpec PATH = new NamedPathSpec("^/api/v1/machines/(?<name>[^/]+)/events$");
    static final int MAX_BODY = 64 * 1024;
    /** An oversized body up to this size is read and dropped before the 413 ({@link BoundedBody}). */
    static final int DRAIN_LIMIT = 1024 * 1024;

    private final TokenCheck tokens;
    private final MachineDirectory machines;
    private final StateStore store;
    private final AssetRefusals refusals;

    public ProgressEventsEndpoint(MachineTokens tokens, MachineDirectory machines, StateStore store) {
        this(tokens, machines, store, new AssetRefusals());
    }

    /** @param refusals assets recently refused per client: a "failed" event from that client names them */
    public ProgressEventsEndpoint(MachineTokens tokens, MachineDirectory machines, StateStore store, AssetRefusals refusals) {
        this.tokens = new TokenCheck(tokens);
        this.machines = machines;
        this.store = store;
        this.refusals = refusals;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!HttpMethod.POST.is(request.getMethod())) {
            return Problem.methodNotAllowed(request, response, callback, "POST", "use POST");
        }
        String id = PATH.param(request, "name"); // the machine name or one of its MACs
        Optional<Machine> machine = resolve(id);
        String token = PresentedMachineToken.of(request);
        Optional<Ipv4> source = ClientAddress.of(request);
        if (machine.isEmpty() || !tokens.verify(machine.get().name(), token)) {
            LOG.warn("403 progress event for '{}' from {}: {}", id, source.map(Ipv4::toString)
                    .or(() -> ClientAddress.ipv6(request).map(a -> a.getHostAddress())).orElse("?"),
                    machine.isEmpty() ? "no such machine" : "wrong or missing token");
            return Responses.error(request, response, callback, 403, "forbidden");
        }
        JsonNode body;
        try {
            Optional<byte[]> bytes = BoundedBody.read(request, response, MAX_BODY, DRAIN_LIMIT);
            if (bytes.isEmpty()) {
                return Responses.error(request, response, callback, 413, "event body over " + MAX_BODY + " bytes");
            }
            body = Responses.JSON.readTree(bytes.get());
        } catch (IOException e) {
            return Responses.error(request, response, callback, 400, "body is not JSON: " + firstLine(e.getMessage()));
        }
        ProgressEvent event;
        try {
            event = withRefusedAsset(parse(machine.get().name(), body, source), source);
            if (source.isEmpty()) {
                // over IPv6 (issue #19): the machine record keeps it as its last IPv6 address, beside its last IPv4 one
                event = event.withAddress(event.mac(), ClientAddress.ipv6Text(request));
            }
        } catch (IllegalArgumentException e) {
            return Responses.error(request, response, callback, 400, e.getMessage());
        }
        Transition t;
        try {
            t = store.record(event);
        } catch (StateStoreException | IllegalStateException e) {
            LOG.error("cannot store progress event of {}: {}", event.machine(), e.getMessage());
            return Responses.error(request, response, callback, 503, "state store unavailable; retry");
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("machine", t.after().name());
        answer.put("state", t.after().state().key());
        answer.put("outcome", t.outcome().key());
        return Responses.json(response, callback, 200, answer);
    }

    /**
     * A failure from a client the asset handler just refused a file to: the script saw only a
     * 404, so the message gets which file and why ("... ; the server refused assets/X: changed
     * since it was verified: sha256 ..., verified ...").
     */
    private ProgressEvent withRefusedAsset(ProgressEvent e, Optional<Ipv4> source) {
        if (e.status() != EventStatus.FAILED || source.isEmpty()) {
            return e;
        }
        return refusals.recent(source.get()).map(r -> {
            String message = e.message().map(m -> m + "; ").orElse("") + r.describe();
            LOG.warn("{} failed at {}: {}", e.machine(), e.phase(), r.describe());
            return new ProgressEvent(e.machine(), e.source(), e.phase(), e.status(), Optional.of(message), e.mac(), e.ip(), e.at());
        }).orElse(e);
    }

    private Optional<Machine> resolve(String id) {
        Optional<Machine> m = machines.byName(id);
        if (m.isPresent()) {
            return m;
        }
        try {
            return machines.byMac(MacAddress.parse(id));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Reads either body shape; errors name the field. */
    static ProgressEvent parse(String machine, JsonNode body, Optional<Ipv4> source) {
        if (body == null || !body.isObject()) {
            throw new IllegalArgumentException("body must be a JSON object");
        }
        String phase = text(body, "phase").or(() -> text(body, "event"))
                .orElseThrow(() -> new IllegalArgumentException("field 'phase' is required (or 'event')"));
        if (!InstallPhases.isValidName(phase)) {
            throw new IllegalArgumentException("field 'phase': '" + phase + "' is not a phase name (lower-case letters, digits, '-')");
        }
        EventStatus status;
        Optional<String> st = text(body, "status");
        if (st.isPresent()) {
            try {
                status = EventStatus.fromKey(st.get());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("field 'status': " + e.getMessage());
            }
        } else if (body.has("event")) {
            status = EventStatus.SUCCEEDED; // the test OS's report carries no status
        } else {
            throw new IllegalArgumentException("field 'status' is required: started, succeeded or failed");
        }
        Optional<String> mac = text(body, "mac").flatMap(m -> {
            try {
                return Optional.of(MacAddress.parse(m).toString());
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        });
        Optional<String> ip = source.map(Ipv4::toString);
        return new ProgressEvent(machine, EventSource.CALLBACK, phase, status,
                text(body, "message").filter(s -> !s.isEmpty()), mac, ip, Instant.now());
    }

    private static Optional<String> text(JsonNode body, String field) {
        JsonNode n = body.get(field);
        return n == null || n.isNull() ? Optional.empty() : Optional.of(n.isTextual() ? n.textValue() : n.toString());
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
