package io.yoo.installer.http.boot;

import io.yoo.installer.core.boot.MachineTokens;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Constant-time token checks with each machine's token computed once: {@link MachineTokens}
 * derives it with an HMAC per call, and every script fetch and progress event checks one. Only
 * call it for machines of the descriptor (the cache is bounded by that list).
 */
public final class TokenCheck {
    private final MachineTokens tokens;
    private final Map<String, byte[]> known = new ConcurrentHashMap<>();

    public TokenCheck(MachineTokens tokens) {
        this.tokens = tokens;
    }

    public boolean verify(String machine, String presented) {
        if (presented == null) {
            return false;
        }
        byte[] expected = known.computeIfAbsent(machine, m -> tokens.tokenFor(m).getBytes(StandardCharsets.US_ASCII));
        return MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.US_ASCII));
    }
}
