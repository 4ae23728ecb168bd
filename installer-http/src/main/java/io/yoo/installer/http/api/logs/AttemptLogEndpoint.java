package io.yoo.installer.http.api.logs;

import io.yoo.installer.core.state.InstallLogStore;
import io.yoo.installer.http.api.MachineViews;
import io.yoo.installer.http.api.NoSuchApi;
import io.yoo.installer.http.routing.NamedPathSpec;
import io.yoo.installer.http.support.Responses;
import java.util.Optional;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /api/v1/machines/{name}/attempts/{attempt}/log}: the install log of one attempt
 * (generation) as the script uploaded it, as text.
 */
public final class AttemptLogEndpoint extends NoSuchApi.GetOnly {
    public static final NamedPathSpec PATH = new NamedPathSpec("^/api/v1/machines/(?<name>[^/]*)/attempts/(?<attempt>[0-9]{1,9})/log$");

    private final MachineViews views;
    private final InstallLogStore logs;

    public AttemptLogEndpoint(MachineViews views, InstallLogStore logs) {
        this.views = views;
        this.logs = logs;
    }

    @Override
    protected boolean get(Request request, Response response, Callback callback) {
        String name = PATH.param(request, "name");
        int attempt = Integer.parseInt(PATH.param(request, "attempt"));
        if (views.one(name).isEmpty()) {
            return Responses.error(request, response, callback, 404, "no machine named '" + name + "'");
        }
        Optional<byte[]> gzip = logs.log(name, attempt);
        if (gzip.isEmpty()) {
            return Responses.error(request, response, callback, 404, "no install log of " + name + " attempt " + attempt);
        }
        Responses.noStore(response);
        return Responses.send(response, callback, 200, Responses.TEXT, InstallLogBody.inflate(gzip.get()));
    }
}
