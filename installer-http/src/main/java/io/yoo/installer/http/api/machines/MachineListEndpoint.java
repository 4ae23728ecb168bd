package io.yoo.installer.http.api.machines;

import io.yoo.installer.http.api.MachineViews;
import io.yoo.installer.http.api.NoSuchApi;
import io.yoo.installer.http.support.Responses;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** {@code GET /api/v1/machines}: every machine with its state. */
public final class MachineListEndpoint extends NoSuchApi.GetOnly {
    private final MachineViews views;

    public MachineListEndpoint(MachineViews views) {
        this.views = views;
    }

    @Override
    protected boolean get(Request request, Response response, Callback callback) {
        return Responses.json(response, callback, 200, views.all());
    }
}
