package io.yoo.installer.http.api.machines;

import io.yoo.installer.core.render.ArtifactKind;
import io.yoo.installer.core.render.MachineArtifacts;
import io.yoo.installer.core.render.Rendered;
import io.yoo.installer.http.api.NoSuchApi;
import io.yoo.installer.http.routing.NamedPathSpec;
import io.yoo.installer.http.support.Responses;
import java.util.Optional;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** {@code GET /api/v1/machines/{name}/render/{kind}}: what the machine would receive (admin preview). */
public final class RenderEndpoint extends NoSuchApi.GetOnly {
    public static final NamedPathSpec PATH = new NamedPathSpec("^/api/v1/machines/(?<name>[^/]*)/render/(?<kind>[^/]*)$");

    private final MachineArtifacts artifacts;

    public RenderEndpoint(MachineArtifacts artifacts) {
        this.artifacts = artifacts;
    }

    @Override
    protected boolean get(Request request, Response response, Callback callback) {
        String name = PATH.param(request, "name");
        ArtifactKind kind;
        try {
            kind = ArtifactKind.fromKey(PATH.param(request, "kind"));
        } catch (IllegalArgumentException e) {
            return Responses.error(request, response, callback, 400, e.getMessage());
        }
        Optional<Rendered> r = artifacts.render(name, kind);
        if (r.isEmpty()) {
            return Responses.error(request, response, callback, 404, kind.key() + " not available for '" + name + "'");
        }
        Responses.noStore(response);
        return Responses.send(response, callback, 200, r.get().contentType(), r.get().bytes());
    }
}
