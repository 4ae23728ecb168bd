package io.yoo.installer.core.discovery;

import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.core.boot.MachineTokens;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Short-lived tokens that let a machine in no descriptor report its inventory and ask whether it
 * was enrolled. A token is {@code EXPIRY.SIGNATURE}: the expiry in epoch seconds and
 * HMAC-SHA256(server token secret, "yoo-enroll/" MAC "/" EXPIRY), truncated to 128 bits, so it is
 * bound to the MAC it was issued for and cannot be extended or moved to another MAC without the
 * secret. It is made with {@link MachineTokens} (the same state-directory secret): a machine
 * name is a DNS label and has no '/', so no machine token is ever an enrollment signature. Nothing is
 * stored; each status poll hands out a fresh token, so a machine that waits days keeps a valid
 * one while a token copied from a console is useless after {@link #DEFAULT_TTL}.
 */
public final class EnrollmentTokens {
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(30);
    /** What a token looks like: checked before anything else, so it can go into a URL path or template. */
    public static final Pattern SHAPE = Pattern.compile("[0-9]{1,12}\\.[A-Za-z0-9_-]{22}");

    private final MachineTokens secret;
    private final Clock clock;
    private final Duration ttl;

    public EnrollmentTokens(MachineTokens secret, Clock clock, Duration ttl) {
        this.secret = Objects.requireNonNull(secret);
        this.clock = Objects.requireNonNull(clock);
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("token lifetime must be positive");
        }
        this.ttl = ttl;
    }

    public EnrollmentTokens(MachineTokens secret) {
        this(secret, Clock.systemUTC(), DEFAULT_TTL);
    }

    /** The outcome of checking a presented token. */
    public enum Verdict {
        VALID("valid"),
        MALFORMED("the enrollment token is malformed"),
        FORGED("the enrollment token is not valid for this MAC"),
        EXPIRED("the enrollment token has expired: boot the machine again for a new one");

        private final String reason;

        Verdict(String reason) {
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }

    /** A new token for {@code mac}, valid for the lifetime from now. */
    public String issue(MacAddress mac) {
        long expiry = clock.instant().plus(ttl).getEpochSecond();
        return expiry + "." + signature(mac, expiry);
    }

    public Verdict verify(MacAddress mac, String presented) {
        if (presented == null || !SHAPE.matcher(presented).matches()) {
            return Verdict.MALFORMED;
        }
        int dot = presented.indexOf('.');
        long expiry = Long.parseLong(presented.substring(0, dot));
        byte[] expected = signature(mac, expiry).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, presented.substring(dot + 1).getBytes(StandardCharsets.US_ASCII))) {
            return Verdict.FORGED;
        }
        // signed by us, so the expiry is one we chose; checked after the signature so that a forged
        // token never learns whether its expiry would have passed
        return Instant.ofEpochSecond(expiry).isAfter(clock.instant()) ? Verdict.VALID : Verdict.EXPIRED;
    }

    private String signature(MacAddress mac, long expiry) {
        return secret.tokenFor("yoo-enroll/" + mac + "/" + expiry);
    }
}
