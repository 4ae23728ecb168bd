package io.yoo.installer.http.api.leases;

import io.yoo.installer.core.state.LeaseRecord;
import io.yoo.installer.core.state.LeaseSource;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
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
            return Responses.jsonTagged(request, response, callback, leases.leases().stream().map(LeasesEndpoint::json).toList());
        } catch (Exception e) {
            return Responses.error(request, response, callback, 503, "leases unavailable: " + e.getMessage());
        }
    }

    /** {@code expires} as RFC 3339 like every time in the API (the store keeps epoch seconds, as the journal). */
    private static Map<String, Object> json(LeaseRecord l) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("ip", l.ip());
        v.put("mac", l.mac());
        v.put("client", l.client());
        v.put("state", l.state());
        v.put("expires", Instant.ofEpochSecond(l.expires()).toString());
        return v;
    }
}
