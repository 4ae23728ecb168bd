package io.yoo.installer.http.api.tokens;

import io.yoo.installer.core.state.ApiToken;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** A token as the API shows it: never the token, never its hash. */
final class TokenJson {
    private TokenJson() {}

    static Map<String, Object> of(ApiToken t) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("name", t.name());
        v.put("kind", t.kind().key());
        v.put("createdAt", t.createdAt().toString());
        v.put("expiresAt", t.expiresAt().map(Instant::toString).orElse(null));
        v.put("lastUsedAt", t.lastUsedAt().map(Instant::toString).orElse(null));
        return v;
    }
}
