package io.yoo.installer.http.support;

import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/** The one reader of {@code Authorization: Bearer <token>} (scheme case-insensitive, token stripped). */
public final class BearerToken {
    private static final String SCHEME = "Bearer ";

    private BearerToken() {}

    /** The token of an {@code Authorization: Bearer} header; empty without one (or with another scheme). */
    public static Optional<String> of(Request request) {
        return parse(request.getHeaders().get(HttpHeader.AUTHORIZATION));
    }

    static Optional<String> parse(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return Optional.empty();
        }
        return Optional.of(authorization.substring(SCHEME.length()).strip());
    }
}
