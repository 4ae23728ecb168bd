package io.yoo.installer.http.api.summary;

import io.yoo.installer.http.api.MachineViews;
import io.yoo.installer.http.api.NoSuchApi;
import io.yoo.installer.http.support.Responses;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** {@code GET /api/v1/summary}: counts per state, overall progress, other DHCP servers seen. */
public final class SummaryEndpoint extends NoSuchApi.GetOnly {
    private final MachineViews views;

    public SummaryEndpoint(MachineViews views) {
        this.views = views;
    }

    @Override
    protected boolean get(Request request, Response response, Callback callback) {
        return Responses.json(response, callback, 200, views.summary());
    }
}
