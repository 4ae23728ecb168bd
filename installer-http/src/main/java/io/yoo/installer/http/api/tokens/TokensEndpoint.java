package io.yoo.installer.http.api.tokens;

import com.fasterxml.jackson.databind.JsonNode;
import io.yoo.installer.core.state.AccessStore;
import io.yoo.installer.core.state.ApiToken;
import io.yoo.installer.core.state.ApiTokenKind;
import io.yoo.installer.http.api.ApiAccess;
import io.yoo.installer.http.api.ApiCaller;
import io.yoo.installer.http.api.Audit;
import io.yoo.installer.http.support.Problem;
import io.yoo.installer.http.support.Responses;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code /api/v1/tokens} (admin): {@code GET} lists the tokens (never the tokens themselves);
 * {@code POST {"name": "...", "kind": "admin|read-only", "expiresIn": "P30D"}} creates one and
 * answers it once, 201 with {@code token}. Creation is audited.
 */
public final class TokensEndpoint extends Handler.Abstract {
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    static final int MAX_BODY = 4096;

    private final ApiAccess access;

    public TokensEndpoint(ApiAccess access) {
        this.access = access;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (access.store().isEmpty()) {
            return Responses.error(request, response, callback, 503, "this server keeps no API tokens (no state store)");
        }
        AccessStore store = access.store().get();
        if (HttpMethod.GET.is(request.getMethod())) {
            return Responses.jsonTagged(request, response, callback, store.tokens().stream().map(TokenJson::of).toList());
        }
        if (!HttpMethod.POST.is(request.getMethod())) {
            return Problem.methodNotAllowed(request, response, callback, "GET, POST", "use GET or POST");
        }
        JsonNode body;
        try (InputStream in = Request.asInputStream(request)) {
            byte[] raw = in.readNBytes(MAX_BODY + 1);
            if (raw.length > MAX_BODY) {
                return Responses.error(request, response, callback, 413, "body over " + MAX_BODY + " bytes");
            }
            body = Responses.JSON.readTree(raw);
        } catch (IOException e) {
            return Responses.error(request, response, callback, 400, "body must be JSON: {\"name\": ..., \"kind\": \"admin|read-only\"}");
        }
        if (body == null || !body.isObject()) {
            return Responses.error(request, response, callback, 400, "body must be a JSON object with name and kind");
        }
        String name = body.path("name").asText("");
        if (!NAME.matcher(name).matches() || name.equals(ApiCaller.ADMIN_TOKEN_FILE)) {
            return Responses.error(request, response, callback, 400,
                    "field 'name' must match " + NAME.pattern() + " and not be '" + ApiCaller.ADMIN_TOKEN_FILE + "'");
        }
        ApiTokenKind kind;
        Optional<Instant> expires = Optional.empty();
        Instant now = Instant.now();
        try {
            kind = ApiTokenKind.fromKey(body.path("kind").asText(""));
            if (body.hasNonNull("expiresIn")) {
                Duration d = Duration.parse(body.get("expiresIn").asText());
                if (d.isNegative() || d.isZero()) {
                    throw new IllegalArgumentException("field 'expiresIn' must be a positive ISO-8601 duration");
                }
                expires = Optional.of(now.plus(d));
            }
        } catch (DateTimeParseException e) {
            return Responses.error(request, response, callback, 400, "field 'expiresIn' must be an ISO-8601 duration such as P30D or PT12H");
        } catch (IllegalArgumentException e) {
            return Responses.error(request, response, callback, 400, "field 'kind': " + e.getMessage());
        }
        String token = ApiAccess.newToken();
        try {
            store.addToken(name, kind, ApiAccess.sha256(token), now, expires);
        } catch (IllegalArgumentException e) {
            return Responses.error(request, response, callback, 409, e.getMessage());
        }
        Audit.record(access.store(), request, "token.create", name, Optional.of(kind.key()));
        Map<String, Object> out = new LinkedHashMap<>(TokenJson.of(new ApiToken(name, kind, now, expires, Optional.empty())));
        out.put("token", token);
        Responses.noStore(response);
        return Responses.json(response, callback, 201, out);
    }
}
