package io.yoo.installer.http.api.servers;

import io.yoo.installer.core.state.ServerDirectory;
import io.yoo.installer.core.state.ServerRecord;
import io.yoo.installer.http.api.NoSuchApi;
import io.yoo.installer.http.support.Responses;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /api/v1/servers}: every server of the cluster (servers on one PostgreSQL) with its last
 * heartbeat and whether it is stale; an empty list for a server alone; 503 when the database cannot
 * be read.
 */
public final class ServersEndpoint extends NoSuchApi.GetOnly {
    private final ServerDirectory servers;

    public ServersEndpoint(ServerDirectory servers) {
        this.servers = servers;
    }

    @Override
    protected boolean get(Request request, Response response, Callback callback) {
        try {
            return Responses.jsonTagged(request, response, callback, servers.servers().stream().map(ServersEndpoint::json).toList());
        } catch (Exception e) {
            return Responses.error(request, response, callback, 503, "servers unavailable: " + e.getMessage());
        }
    }

    private static Map<String, Object> json(ServerRecord s) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", s.id());
        v.put("host", s.host());
        v.put("addresses", s.addresses());
        v.put("version", s.version());
        v.put("started", Instant.ofEpochSecond(s.started()).toString());
        v.put("lastHeartbeat", Instant.ofEpochSecond(s.heartbeat()).toString());
        v.put("state", s.state());
        v.put("stale", s.stale());
        v.put("self", s.self());
        v.put("holdsServiceAddress", s.holdsServiceAddress());
        return v;
    }
}
