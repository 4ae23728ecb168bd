package io.yoo.installer.http.boot;

import io.yoo.installer.core.render.Rendered;
import io.yoo.installer.http.routing.NamedPathSpec;
import io.yoo.installer.http.support.Responses;
import java.util.Optional;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code /profiles/{profile}/live-config}: the live config of a boot-menu entry, for machines not
 * in the descriptor. Carries no machine token and no secrets; 404 with allowUnknown off.
 */
public final class ProfileLiveConfigEndpoint extends Handler.Abstract {
    public static final NamedPathSpec PATH = new NamedPathSpec("^/profiles/(?<profile>[^/]*)/live-config$");

    private final BootFiles files;

    public ProfileLiveConfigEndpoint(BootFiles files) {
        this.files = files;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (BootFiles.refusedMethod(request, response, callback)) {
            return true;
        }
        Optional<Rendered> r = files.artifacts(request).profileLiveConfig(PATH.param(request, "profile"));
        if (r.isEmpty()) {
            return Responses.error(request, response, callback, 404, "no live config for menu profile (allowUnknown off, or no such profile)");
        }
        Responses.noStore(response);
        return Responses.send(response, callback, 200, r.get().contentType(), r.get().bytes());
    }
}
