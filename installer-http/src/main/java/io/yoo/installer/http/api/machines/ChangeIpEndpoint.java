package io.yoo.installer.http.api.machines;

import com.fasterxml.jackson.databind.JsonNode;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.core.descriptor.DescriptorEditRefused;
import io.yoo.installer.core.bmc.MachineBmcs;
import io.yoo.installer.core.readdress.AddressChange;
import io.yoo.installer.core.state.StateStore;
import io.yoo.installer.http.api.AdminPost;
import io.yoo.installer.http.api.ApiAccess;
import io.yoo.installer.http.api.Audit;
import io.yoo.installer.http.api.MachineViews;
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
 * {@code POST /api/v1/machines/{name}/change-ip} with {@code {"ip": "A", "reprovision": true}}
 * (admin token, audited): the machine's address is changed in the descriptor and reloaded
 * ({@link AddressChange}), then, unless {@code reprovision} is false, the machine is reprovisioned
 * ({@link Reprovisioner}: record reset, network boot once and power cycle through its BMC) so
 * it reinstalls with the new address everywhere it is rendered (network unit, kubelet node-ip,
 * kubeadm join). Answers the diff, the old and new address and the reprovision's outcome; a
 * refused address is 409 with every reason, a machine that is not there 404.
 */
public final class ChangeIpEndpoint extends AdminPost {
    public static final NamedPathSpec PATH = new NamedPathSpec("^/api/v1/machines/(?<name>[^/]*)/change-ip$");
    static final int MAX_BODY = 4096;

    private final Optional<AddressChange> changes;
    private final Reprovisioner reprovisioner;
    private final ApiAccess access;

    public ChangeIpEndpoint(Optional<AddressChange> changes, StateStore store, MachineViews views, ApiAccess access, MachineBmcs bmcs) {
        super(MAX_BODY);
        this.changes = changes;
        this.reprovisioner = new Reprovisioner(store, views, bmcs);
        this.access = access;
    }

    @Override
    protected boolean post(Request request, Response response, Callback callback) {
        String name = PATH.param(request, "name");
        if (changes.isEmpty()) {
            return Responses.error(request, response, callback, 409, "this server cannot change addresses (no live descriptor)");
        }
        Ipv4 ip;
        boolean reprovision;
        try {
            JsonNode body = body(request).orElse(null);
            if (body == null || !body.isObject() || !body.path("ip").isTextual()) {
                return Responses.error(request, response, callback, 400, "body must be {\"ip\": \"A.B.C.D\"} (and optionally \"reprovision\": false)");
            }
            JsonNode rp = body.path("reprovision");
            if (!rp.isMissingNode() && !rp.isBoolean()) {
                return Responses.error(request, response, callback, 400, "reprovision: true or false");
            }
            reprovision = rp.isMissingNode() || rp.asBoolean();
            ip = Ipv4.parse(body.get("ip").asText());
        } catch (JsonBody.Refused e) {
            return e.send(request, response, callback);
        } catch (IllegalArgumentException e) {
            return Responses.error(request, response, callback, 400, "ip: not an IPv4 address");
        }
        AddressChange.Change change;
        try {
            change = changes.get().change(name, ip);
        } catch (DescriptorEditRefused e) {
            return Responses.refused(request, response, callback, e);
        }
        String reason = "address changed from " + change.before() + " to " + change.after();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", change.name());
        out.put("before", change.before().toString());
        out.put("after", change.after().toString());
        out.put("file", change.file().getFileName().toString());
        out.put("diff", change.diff());
        out.put("reprovision", reprovision ? reprovisioner.reprovision(name, reason) : null);
        Audit.record(access.store(), request, "machine.change-ip", name, Optional.of(change.before() + " -> " + change.after()));
        return Responses.json(response, callback, 200, out);
    }
}
