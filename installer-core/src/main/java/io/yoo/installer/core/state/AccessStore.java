package io.yoo.installer.core.state;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** API tokens (by hash) and the audit log of admin actions, kept with the machines' state. */
public interface AccessStore {

    /** @throws IllegalArgumentException when a token of that name exists */
    void addToken(String name, ApiTokenKind kind, String sha256Hex, Instant createdAt, Optional<Instant> expiresAt);

    /** The token whose hash this is (expired ones too: the caller decides). */
    Optional<ApiToken> tokenByHash(String sha256Hex);

    /** Every token, by name. */
    List<ApiToken> tokens();

    /** @return whether a token of that name was there */
    boolean revokeToken(String name);

    void tokenUsed(String name, Instant at);

    void audit(Instant at, String actor, String action, Optional<String> target, Optional<String> client, Optional<String> detail);

    /** The latest {@code limit} entries, newest first. */
    List<AuditEntry> audit(int limit);
}
