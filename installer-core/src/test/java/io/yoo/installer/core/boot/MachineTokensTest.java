package io.yoo.installer.core.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** {@link MachineTokens}: the kept tokens are the HMAC of each name under this secret, nothing else. */
class MachineTokensTest {
    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private static String hmac(byte[] secret, String name) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(mac.doFinal(name.getBytes(StandardCharsets.UTF_8)), 16));
    }

    @Test
    void eachNameKeepsItsOwnTokenUnderItsOwnSecret() throws Exception {
        MachineTokens a = new MachineTokens(SECRET);
        byte[] other = SECRET.clone();
        other[0] ^= 1;
        MachineTokens b = new MachineTokens(other);
        for (int round = 0; round < 2; round++) { // computed, then kept
            for (String name : new String[] {"node-1", "node-2", "storm-00017"}) {
                assertThat(a.tokenFor(name)).hasSize(22).isEqualTo(hmac(SECRET, name));
                assertThat(b.tokenFor(name)).isEqualTo(hmac(other, name)).isNotEqualTo(a.tokenFor(name));
                assertThat(a.verify(name, hmac(SECRET, name))).isTrue();
                assertThat(a.verify(name, hmac(other, name))).isFalse();
            }
        }
    }
}
