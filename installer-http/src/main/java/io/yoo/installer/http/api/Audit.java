package io.yoo.installer.http.api;

import io.yoo.installer.core.state.AccessStore;
import io.yoo.installer.http.support.ClientAddress;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.jetty.server.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes an admin action to the store's audit log: the guard's caller, the action, its target, the client address. */
public final class Audit {
    private static final Logger LOG = LoggerFactory.getLogger(Audit.class);

    private Audit() {}

    public static void record(Optional<AccessStore> store, Request request, String action, String target, Optional<String> detail) {
        ApiCaller caller = ApiGuard.caller(request);
        String who = caller == null ? "?" : caller.name();
        String client = ClientAddress.of(request).map(Object::toString).orElse(Request.getRemoteAddr(request));
        LOG.info("audit: {} {} {} from {}", who, action, target, client);
        store.ifPresent(s -> s.audit(Instant.now(), who, action, Optional.ofNullable(target), Optional.ofNullable(client), detail));
    }
}
