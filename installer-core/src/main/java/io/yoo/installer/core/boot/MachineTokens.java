package io.yoo.installer.core.boot;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Per-machine tokens for the URLs that carry a machine's secrets. A token is
 * HMAC-SHA256(server secret, machine name), so it is stable across restarts (iPXE scripts and
 * kernel command lines already handed out stay valid) without a table to store, and a machine
 * cannot compute another machine's token. The secret lives in the state directory.
 */
public final class MachineTokens {
    /** Tokens kept at most: far more machines than one descriptor holds. */
    static final int MAX_KEPT = 200_000;
    private final byte[] secret;
    private final Map<String, String> known = new ConcurrentHashMap<>();

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

    /**
     * URL-safe token for {@code machine} (22 characters, 128 bits). Kept once computed: DHCP asks
     * per packet (the boot file URL) and each rendered file again, and an HMAC with its
     * {@code Mac.getInstance} was ~3 % of a server's CPU in a boot storm. Bounded: names beyond
     * {@link #MAX_KEPT} (the callers pass descriptor machines) are computed each time.
     */
    public String tokenFor(String machine) {
        String t = known.get(machine);
        if (t != null) {
            return t;
        }
        t = compute(machine);
        if (known.size() < MAX_KEPT) {
            known.put(machine, t);
        }
        return t;
    }

    private String compute(String machine) {
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
