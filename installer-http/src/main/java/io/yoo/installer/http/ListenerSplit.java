package io.yoo.installer.http;

import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Two surfaces on one server: requests that came in on the admin connector go to the admin
 * routes, all others (the install network) to the boot routes. Deciding by connector, not by Host
 * header or client address, means a machine on the install network cannot reach the API at all.
 */
final class ListenerSplit extends Handler.Sequence {
    private final Connector admin;

    ListenerSplit(Handler boot, Handler adminRoutes, Connector admin) {
        super(boot, adminRoutes);
        this.admin = admin;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        boolean fromAdmin = request.getConnectionMetaData().getConnector() == admin;
        return getHandlers().get(fromAdmin ? 1 : 0).handle(request, response, callback);
    }
}
