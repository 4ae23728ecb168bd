package io.yoo.installer.core.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.core.boot.MachineTokens;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class EnrollmentTokensTest {
    static final MacAddress MAC = MacAddress.parse("52:54:00:12:34:56");
    static final MacAddress OTHER = MacAddress.parse("52:54:00:12:34:57");
    final MachineTokens secret = new MachineTokens(MachineTokens.newSecret());
    final Instant t0 = Instant.parse("2026-12-04T12:00:00Z");

    EnrollmentTokens at(Instant now) {
        return new EnrollmentTokens(secret, Clock.fixed(now, ZoneOffset.UTC), Duration.ofMinutes(30));
    }

    @Test
    void aTokenIsValidForItsMacUntilItExpires() {
        String token = at(t0).issue(MAC);
        assertThat(token).matches(EnrollmentTokens.SHAPE);
        assertThat(at(t0).verify(MAC, token)).isEqualTo(EnrollmentTokens.Verdict.VALID);
        assertThat(at(t0.plus(Duration.ofMinutes(29))).verify(MAC, token)).isEqualTo(EnrollmentTokens.Verdict.VALID);
        assertThat(at(t0.plus(Duration.ofMinutes(30))).verify(MAC, token)).isEqualTo(EnrollmentTokens.Verdict.EXPIRED);
    }

    @Test
    void anotherMacAnExtendedExpiryOrAnotherSecretIsForged() {
        String token = at(t0).issue(MAC);
        assertThat(at(t0).verify(OTHER, token)).isEqualTo(EnrollmentTokens.Verdict.FORGED);
        String signature = token.substring(token.indexOf('.') + 1);
        long expiry = Long.parseLong(token.substring(0, token.indexOf('.')));
        assertThat(at(t0).verify(MAC, (expiry + 86_400) + "." + signature)).isEqualTo(EnrollmentTokens.Verdict.FORGED);
        EnrollmentTokens elsewhere = new EnrollmentTokens(new MachineTokens(MachineTokens.newSecret()), Clock.fixed(t0, ZoneOffset.UTC),
                Duration.ofMinutes(30));
        assertThat(at(t0).verify(MAC, elsewhere.issue(MAC))).isEqualTo(EnrollmentTokens.Verdict.FORGED);
        // a machine's URL token is never an enrollment signature
        assertThat(at(t0).verify(MAC, expiry + "." + secret.tokenFor("node-1"))).isEqualTo(EnrollmentTokens.Verdict.FORGED);
    }

    @Test
    void malformedTokens() {
        for (String bad : new String[] {null, "", "x", "123", "123.short", "abc.AAAAAAAAAAAAAAAAAAAAAA", "1.AAAAAAAAAAAAAAAAAAAAA/",
            "1234567890123.AAAAAAAAAAAAAAAAAAAAAA"}) {
            assertThat(at(t0).verify(MAC, bad)).as(String.valueOf(bad)).isEqualTo(EnrollmentTokens.Verdict.MALFORMED);
        }
    }
}
