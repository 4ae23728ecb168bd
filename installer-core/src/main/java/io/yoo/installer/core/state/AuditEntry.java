package io.yoo.installer.core.state;

import java.time.Instant;
import java.util.Optional;

/** One admin action: who (the token's name), what, on what, when, from which client address. */
public record AuditEntry(long id, Instant at, String actor, String action, Optional<String> target, Optional<String> client,
        Optional<String> detail) {}
