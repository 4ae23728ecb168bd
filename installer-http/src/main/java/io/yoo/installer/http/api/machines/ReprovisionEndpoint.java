package io.yoo.installer.http.api.machines;

import io.yoo.installer.core.bmc.MachineBmcs;
import io.yoo.installer.core.state.StateStore;
import io.yoo.installer.http.api.AdminPost;
import io.yoo.installer.http.api.ApiAccess;
import io.yoo.installer.http.api.Audit;
import io.yoo.installer.http.api.MachineViews;
import io.yoo.installer.http.routing.NamedPathSpec;
import io.yoo.installer.http.support.JsonBody;
import io.yoo.installer.http.support.Responses;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code POST /api/v1/machines/{name}/reprovision}: reset the machine's state so its next network
 * boot installs it again, and through its BMC (when it has one) network boot once and power cycle
 * ({@link Reprovisioner}). Body empty or {@code {"reason": "..."}} (read up to {@value #MAX_BODY} bytes).
 */
public final class ReprovisionEndpoint extends AdminPost {
    public static final NamedPathSpec PATH = new NamedPathSpec("^/api/v1/machines/(?<name>[^/]*)/reprovision$");
    static final int MAX_BODY = 4096;

    private final MachineViews views;
    private final Reprovisioner reprovisioner;
    private final ApiAccess access;

    public ReprovisionEndpoint(StateStore store, MachineViews views, ApiAccess access) {
        this(store, views, access, MachineBmcs.NONE);
    }

    public ReprovisionEndpoint(StateStore store, MachineViews views, ApiAccess access, MachineBmcs bmcs) {
        super(MAX_BODY);
        this.views = views;
        this.reprovisioner = new Reprovisioner(store, views, bmcs);
        this.access = access;
    }

    @Override
    protected boolean post(Request request, Response response, Callback callback) {
        String name = PATH.param(request, "name");
        if (views.one(name).isEmpty()) {
            return Responses.error(request, response, callback, 404, "no machine named '" + name + "'");
        }
        String reason = "reprovision requested";
        try {
            var node = body(request).orElse(null);
            if (node != null && node.hasNonNull("reason")) {
                reason = node.get("reason").asText();
            }
        } catch (JsonBody.Refused e) {
            return Responses.error(request, response, callback, 400, "body must be empty or {\"reason\": \"...\"} (at most " + MAX_BODY + " bytes)");
        }
        Map<String, Object> done = reprovisioner.reprovision(name, reason);
        Audit.record(access.store(), request, "machine.reprovision", name, Optional.of(reason));
        return Responses.json(response, callback, 200, done);
    }
}
