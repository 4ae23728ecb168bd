package io.yoo.installer.core.config.kubeadm;

import io.yoo.installer.core.config.model.NodeContext;
import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.descriptor.Machine;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Per-machine kubeadm bootstrap tokens that expire, and still let a machine installed weeks
 * after the cluster was made join it.
 *
 * <p>Time is cut into windows of 12 hours. A machine's token for a window is derived from the
 * cluster's secret key, the machine's name and the window number (HMAC-SHA256), so the server
 * keeps no token state and a restart changes nothing. The joining machine asks for its token
 * just before {@code kubeadm join} ({@code /m/NAME/TOKEN/join-token}); every control-plane node
 * asks, every two minutes, for the tokens of the current and the previous window of every other
 * machine ({@code /m/NAME/TOKEN/join-tokens}) and creates the missing ones in the cluster with
 * {@code kubeadm token create TOKEN --ttl SECONDS}. A token minted in window {@code w} expires at
 * the end of window {@code w+1}: it lives 12 to 24 hours, never longer, and a machine that
 * fetched it at the last second of its window still has 12 hours to join.
 *
 * <p>Both answers are served like every per-machine file: only with the machine's own URL token
 * and from its reserved address. A worker gets its own token only; the token list is served to
 * control-plane nodes only (they hold the CA keys anyway, so it gives them nothing new).
 */
public final class JoinTokens {
    public static final Duration WINDOW = Duration.ofHours(12);
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    private JoinTokens() {}

    /** {@code [a-z0-9]{6}.[a-z0-9]{16}}: the machine's token for the window that holds {@code now}. */
    public static String forMachine(NodeContext node, Instant now) {
        return token(key(node), node.name(), window(now));
    }

    /**
     * What the control plane should have created, one {@code TOKEN TTL_SECONDS} line each: the
     * tokens of the current and the previous window of every machine that joins (not the node
     * that ran {@code kubeadm init}), with the seconds each has left. Bounded: two per machine.
     */
    public static List<String> toCreate(NodeContext asking, Instant now) {
        ClusterDescriptor c = asking.cluster();
        long w = window(now);
        byte[] key = key(asking);
        List<String> lines = new ArrayList<>();
        for (Machine m : c.machines()) {
            if (m.name().equals(c.firstControlPlane().name())) {
                continue;
            }
            for (long win = w - 1; win <= w; win++) {
                long ttl = expiry(win).getEpochSecond() - now.getEpochSecond();
                lines.add(token(key, m.name(), win) + " " + ttl);
            }
        }
        return lines;
    }

    static long window(Instant t) {
        return Math.floorDiv(t.getEpochSecond(), WINDOW.toSeconds());
    }

    /** A token of window {@code w} stops working at the end of window {@code w + 1}. */
    static Instant expiry(long w) {
        return Instant.ofEpochSecond((w + 2) * WINDOW.toSeconds());
    }

    /**
     * The HMAC key: the cluster's certificate key (64 random hex digits, server-only; kubeadm no
     * longer needs it for uploaded certificates, joiners use the pre-placed PKI), domain-separated.
     */
    private static byte[] key(NodeContext node) {
        return ("yoo-join-token-v1:" + node.secrets().certificateKey()).getBytes(StandardCharsets.US_ASCII);
    }

    static String token(byte[] key, String machine, long window) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] h = mac.doFinal((machine + "\n" + window).getBytes(StandardCharsets.UTF_8));
            // 22 characters from 32 bytes: each byte mod 36 (bias < 1/7 per character; 22 x ~5.1 bits is plenty)
            StringBuilder s = new StringBuilder(23);
            for (int i = 0; i < 22; i++) {
                if (i == 6) {
                    s.append('.');
                }
                s.append(ALPHABET.charAt(Byte.toUnsignedInt(h[i]) % ALPHABET.length()));
            }
            return s.toString();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
