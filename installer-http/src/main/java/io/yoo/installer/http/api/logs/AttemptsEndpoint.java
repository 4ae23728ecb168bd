package io.yoo.installer.http.api.logs;

import io.yoo.installer.core.state.InstallLogInfo;
import io.yoo.installer.core.state.InstallLogStore;
import io.yoo.installer.http.api.MachineViews;
import io.yoo.installer.http.api.NoSuchApi;
import io.yoo.installer.http.routing.NamedPathSpec;
import io.yoo.installer.http.support.Responses;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /api/v1/machines/{name}/attempts}: the machine's attempts that have an install log,
 * newest first: {@code {"items": [{"attempt", "uploadedAt", "bytes", "compressedBytes", "log"}]}}.
 */
public final class AttemptsEndpoint extends NoSuchApi.GetOnly {
    public static final NamedPathSpec PATH = new NamedPathSpec("^/api/v1/machines/(?<name>[^/]*)/attempts$");

    private final MachineViews views;
    private final InstallLogStore logs;

    public AttemptsEndpoint(MachineViews views, InstallLogStore logs) {
        this.views = views;
        this.logs = logs;
    }

    @Override
    protected boolean get(Request request, Response response, Callback callback) {
        String name = PATH.param(request, "name");
        if (views.one(name).isEmpty()) {
            return Responses.error(request, response, callback, 404, "no machine named '" + name + "'");
        }
        List<Map<String, Object>> items = logs.logs(name).stream().map(AttemptsEndpoint::item).toList();
        return Responses.json(response, callback, 200, Map.of("items", items));
    }

    private static Map<String, Object> item(InstallLogInfo i) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("attempt", i.attempt());
        v.put("uploadedAt", i.uploadedAt().toString()); // RFC 3339, UTC
        v.put("bytes", i.bytes());
        v.put("compressedBytes", i.compressedBytes());
        v.put("log", "/api/v1/machines/" + URLEncoder.encode(i.machine(), StandardCharsets.UTF_8) + "/attempts/" + i.attempt() + "/log");
        return v;
    }
}
