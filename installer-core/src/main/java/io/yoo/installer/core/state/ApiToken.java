package io.yoo.installer.core.state;

import java.time.Instant;
import java.util.Optional;

/** A stored API token, without the token (only its hash is stored, and that never leaves the store). */
public record ApiToken(String name, ApiTokenKind kind, Instant createdAt, Optional<Instant> expiresAt, Optional<Instant> lastUsedAt) {

    public boolean expired(Instant now) {
        return expiresAt.map(e -> !now.isBefore(e)).orElse(false);
    }
}
