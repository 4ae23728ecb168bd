package io.yoo.installer.http.api;

import io.yoo.installer.core.state.AccessStore;
import io.yoo.installer.core.state.ApiToken;
import io.yoo.installer.core.state.ApiTokenKind;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves a presented bearer token to its {@link ApiCaller}: the admin-token file's token (admin,
 * as before), or a token created with {@code yoo token create}, looked up by its SHA-256 hash (the
 * store holds no token itself), refused once expired. Its last use is written at most once per
 * {@link #LAST_USED_EVERY} (a console polling every second must not write every second).
 */
public final class ApiAccess {
    static final Duration LAST_USED_EVERY = Duration.ofMinutes(1);

    private final AdminToken adminToken;
    private final Optional<AccessStore> store;
    private final Map<String, Instant> lastWritten = new ConcurrentHashMap<>();

    public ApiAccess(AdminToken adminToken, Optional<AccessStore> store) {
        this.adminToken = adminToken;
        this.store = store;
    }

    public Optional<AccessStore> store() {
        return store;
    }

    public Optional<ApiCaller> caller(String presented, Instant now) {
        if (presented == null || presented.isEmpty()) {
            return Optional.empty();
        }
        if (adminToken.matches(presented)) {
            return Optional.of(new ApiCaller(ApiCaller.ADMIN_TOKEN_FILE, ApiTokenKind.ADMIN));
        }
        if (store.isEmpty()) {
            return Optional.empty();
        }
        Optional<ApiToken> t = store.get().tokenByHash(sha256(presented)).filter(x -> !x.expired(now));
        t.ifPresent(x -> {
            Instant last = lastWritten.get(x.name());
            if (last == null || Duration.between(last, now).compareTo(LAST_USED_EVERY) >= 0) {
                lastWritten.put(x.name(), now);
                store.get().tokenUsed(x.name(), now);
            }
        });
        return t.map(x -> new ApiCaller(x.name(), x.kind()));
    }

    /** A new random token (32 bytes, base64url): shown once, only its hash is stored. */
    public static String newToken() {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        return "yoo_" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    public static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
