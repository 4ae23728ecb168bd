package io.yoo.installer.http.discovery;

import io.yoo.installer.core.state.DiscoveryStore;
import io.yoo.installer.http.api.NoSuchApi;
import io.yoo.installer.http.support.Responses;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** {@code GET /api/v1/discovered}: every discovered machine with its inventory, oldest first (admin token). */
public final class DiscoveredListEndpoint extends NoSuchApi.GetOnly {
    private final Optional<DiscoveryStore> store;

    public DiscoveredListEndpoint(Optional<DiscoveryStore> store) {
        this.store = store;
    }

    @Override
    protected boolean get(Request request, Response response, Callback callback) {
        return Responses.jsonTagged(request, response, callback,
                store.map(s -> s.discovered().stream().map(DiscoveryJson::of).toList()).orElse(List.of()));
    }
}
