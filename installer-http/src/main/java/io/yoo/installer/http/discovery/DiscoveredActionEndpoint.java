package io.yoo.installer.http.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.core.descriptor.DescriptorEditRefused;
import io.yoo.installer.core.descriptor.Role;
import io.yoo.installer.core.discovery.DiscoveredMachine;
import io.yoo.installer.core.discovery.EnrollRequest;
import io.yoo.installer.core.discovery.EnrolledMachinesFile;
import io.yoo.installer.core.discovery.Enrollment;
import io.yoo.installer.core.state.DiscoveryStore;
import io.yoo.installer.http.api.AdminPost;
import io.yoo.installer.http.api.ApiAccess;
import io.yoo.installer.http.api.Audit;
import io.yoo.installer.http.routing.NamedPathSpec;
import io.yoo.installer.http.support.JsonBody;
import io.yoo.installer.http.support.Responses;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code POST /api/v1/discovered/{discoveredId}/enroll} (body: name, role, labels, ip — ip
 * suggested when absent) and {@code …/reject} (no body), admin token, audited. Enroll answers
 * with the machine's name and address and the diff of the enrolled-machines file; the descriptor
 * is reloaded before the answer, so the waiting machine's next poll sees it enrolled.
 */
public final class DiscoveredActionEndpoint extends AdminPost {
    public static final NamedPathSpec PATH = new NamedPathSpec("^/api/v1/discovered/(?<id>[^/]*)/(?<action>enroll|reject)$");
    static final int MAX_BODY = 8192;

    private final Optional<DiscoveryStore> store;
    private final Optional<Enrollment> enrollment;
    private final ApiAccess access;

    public DiscoveredActionEndpoint(Optional<DiscoveryStore> store, Optional<Enrollment> enrollment, ApiAccess access) {
        super(MAX_BODY);
        this.store = store;
        this.enrollment = enrollment;
        this.access = access;
    }

    @Override
    protected boolean post(Request request, Response response, Callback callback) throws Exception {
        long id;
        try {
            id = Long.parseLong(PATH.param(request, "id"));
        } catch (NumberFormatException e) {
            return Responses.error(request, response, callback, 404, "no discovered machine '" + clip(PATH.param(request, "id")) + "'");
        }
        if (store.isEmpty()) {
            return Responses.error(request, response, callback, 503, "this server keeps no discovered machines");
        }
        if (PATH.param(request, "action").equals("reject")) {
            if (!store.get().setDiscoveryStatus(id, DiscoveredMachine.Status.REJECTED)) {
                return Responses.error(request, response, callback, 404, "no discovered machine #" + id);
            }
            Audit.record(access.store(), request, "discovered.reject", "#" + id, Optional.empty());
            return Responses.json(response, callback, 200, Map.of("id", id, "status", "rejected"));
        }
        if (enrollment.isEmpty()) {
            return Responses.error(request, response, callback, 409, "this server cannot enroll (no live descriptor)");
        }
        EnrollRequest enroll;
        try {
            enroll = request(body(request).orElse(null));
        } catch (JsonBody.Refused e) {
            return e.send(request, response, callback);
        } catch (IllegalArgumentException e) {
            return Responses.error(request, response, callback, 400, e.getMessage());
        }
        EnrolledMachinesFile.Change change;
        try {
            change = enrollment.get().enroll(id, enroll);
        } catch (DescriptorEditRefused e) {
            return Responses.refused(request, response, callback, e);
        }
        Audit.record(access.store(), request, "discovered.enroll", "#" + id, Optional.of(change.name() + " " + change.ip()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id);
        out.put("status", "enrolled");
        out.put("name", change.name());
        out.put("ip", change.ip().toString());
        out.put("diff", change.diff());
        return Responses.json(response, callback, 200, out);
    }

    /** name (required), role (required), labels (object of strings), ip (optional). */
    static EnrollRequest request(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new IllegalArgumentException("body must be a JSON object with name and role");
        }
        for (Map.Entry<String, JsonNode> field : body.properties()) {
            String f = field.getKey();
            if (!f.equals("name") && !f.equals("role") && !f.equals("labels") && !f.equals("ip")) {
                throw new IllegalArgumentException(clip(f) + ": unknown field (name, role, labels, ip)");
            }
        }
        String name = text(body, "name");
        String role = text(body, "role");
        Role r;
        try {
            r = role == null ? null : Role.fromKey(role);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("role: control-plane or worker");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        JsonNode l = body.get("labels");
        if (l != null && !l.isNull()) {
            if (!l.isObject()) {
                throw new IllegalArgumentException("labels: an object of strings");
            }
            for (Map.Entry<String, JsonNode> e : l.properties()) {
                if (!e.getValue().isTextual()) {
                    throw new IllegalArgumentException("labels." + clip(e.getKey()) + ": must be a string");
                }
                labels.put(e.getKey(), e.getValue().asText());
            }
        }
        String ip = text(body, "ip");
        Optional<Ipv4> address;
        try {
            address = ip == null ? Optional.empty() : Optional.of(Ipv4.parse(ip));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ip: not an IPv4 address");
        }
        return new EnrollRequest(name, r, labels, address);
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(field + ": must be a string");
        }
        return v.asText();
    }

    private static String clip(String s) {
        String p = s.replaceAll("[^\\x20-\\x7e]", "?");
        return p.length() <= 40 ? p : p.substring(0, 40) + "...";
    }
}
