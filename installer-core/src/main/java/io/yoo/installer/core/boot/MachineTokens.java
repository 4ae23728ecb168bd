package io.yoo.installer.core.boot;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Per-machine tokens for the URLs that carry a machine's secrets. A token is
 * HMAC-SHA256(server secret, machine name), so it is stable across restarts (iPXE scripts and
 * kernel command lines already handed out stay valid) without a table to store, and a machine
 * cannot compute another machine's token. The secret lives in the state directory.
 */
public final class MachineTokens {
    private final byte[] secret;

    public MachineTokens(byte[] secret) {
        if (secret.length < 16) {
            throw new IllegalArgumentException("token secret too short");
        }
        this.secret = secret.clone();
    }

    public static byte[] newSecret() {
        byte[] s = new byte[32];
        new SecureRandom().nextBytes(s);
        return s;
    }

    /** URL-safe token for {@code machine} (22 characters, 128 bits). */
    public String tokenFor(String machine) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            byte[] h = mac.doFinal(machine.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(h, 16));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Constant-time check of a presented token. */
    public boolean verify(String machine, String presented) {
        if (presented == null) {
            return false;
        }
        return MessageDigest.isEqual(tokenFor(machine).getBytes(StandardCharsets.US_ASCII),
                presented.getBytes(StandardCharsets.US_ASCII));
    }
}
