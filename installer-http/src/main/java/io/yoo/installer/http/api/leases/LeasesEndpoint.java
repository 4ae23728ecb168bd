package io.yoo.installer.http.api.leases;

import io.yoo.installer.core.state.LeaseSource;
import io.yoo.installer.http.api.NoSuchApi;
import io.yoo.installer.http.support.Responses;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** {@code GET /api/v1/leases}: the DHCP leases this server holds; 503 when they cannot be read. */
public final class LeasesEndpoint extends NoSuchApi.GetOnly {
    private final LeaseSource leases;

    public LeasesEndpoint(LeaseSource leases) {
        this.leases = leases;
    }

    @Override
    protected boolean get(Request request, Response response, Callback callback) {
        try {
            return Responses.json(response, callback, 200, leases.leases());
        } catch (Exception e) {
            return Responses.error(response, callback, 503, "leases unavailable: " + e.getMessage());
        }
    }
}
