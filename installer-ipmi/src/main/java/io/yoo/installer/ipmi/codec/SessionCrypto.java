package io.yoo.installer.ipmi.codec;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The keys of one established RMCP+ session (IPMI 2.0 section 13.32) and the two operations
 * they serve: packet integrity codes (HMAC with K1, truncated) and payload encryption
 * (AES-CBC-128 with the first 16 bytes of K2, random IV, IPMI's 1,2,3.. padding).
 */
public final class SessionCrypto {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final CipherSuite suite;
    private final byte[] k1;
    private final byte[] k2;

    private SessionCrypto(CipherSuite suite, byte[] k1, byte[] k2) {
        this.suite = suite;
        this.k1 = k1;
        this.k2 = k2;
    }

    /** Derives K1 and K2 from the session integrity key: K_n = HMAC_SIK(20 bytes of n). */
    public static SessionCrypto fromSik(CipherSuite suite, byte[] sik) {
        byte[] c1 = new byte[20];
        byte[] c2 = new byte[20];
        Arrays.fill(c1, (byte) 1);
        Arrays.fill(c2, (byte) 2);
        return new SessionCrypto(suite, hmac(suite, sik, c1), hmac(suite, sik, c2));
    }

    public CipherSuite suite() {
        return suite;
    }

    /** Truncated HMAC_K1 over {@code b[off, off+len)}. */
    public byte[] integrity(byte[] b, int off, int len) {
        byte[] full = hmac(suite, k1, Arrays.copyOfRange(b, off, off + len));
        return Arrays.copyOf(full, suite.truncatedLength);
    }

    public boolean integrityMatches(byte[] b, int off, int len, byte[] code) {
        return MessageDigest.isEqual(integrity(b, off, len), code);
    }

    /** IV || AES-CBC(plain || 1,2,..,n || n). */
    public byte[] encrypt(byte[] plain) {
        byte[] iv = new byte[16];
        RANDOM.nextBytes(iv);
        return encrypt(plain, iv);
    }

    byte[] encrypt(byte[] plain, byte[] iv) {
        int pad = (16 - (plain.length + 1) % 16) % 16;
        byte[] padded = Arrays.copyOf(plain, plain.length + pad + 1);
        for (int i = 0; i < pad; i++) {
            padded[plain.length + i] = (byte) (i + 1);
        }
        padded[padded.length - 1] = (byte) pad;
        try {
            Cipher c = Cipher.getInstance("AES/CBC/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(k2, 0, 16, "AES"), new IvParameterSpec(iv));
            byte[] enc = c.doFinal(padded);
            byte[] out = new byte[16 + enc.length];
            System.arraycopy(iv, 0, out, 0, 16);
            System.arraycopy(enc, 0, out, 16, enc.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CBC unavailable", e);
        }
    }

    public byte[] decrypt(byte[] payload) throws IpmiCodecException {
        if (payload.length < 32 || payload.length % 16 != 0) {
            throw new IpmiCodecException("encrypted payload of " + payload.length + " bytes is not IV + whole AES blocks");
        }
        byte[] plain;
        try {
            Cipher c = Cipher.getInstance("AES/CBC/NoPadding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(k2, 0, 16, "AES"), new IvParameterSpec(payload, 0, 16));
            plain = c.doFinal(payload, 16, payload.length - 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CBC unavailable", e);
        }
        int pad = plain[plain.length - 1] & 0xFF;
        if (pad > 15 || pad + 1 > plain.length) {
            throw new IpmiCodecException("encrypted payload: bad pad length " + pad);
        }
        for (int i = 0; i < pad; i++) {
            if (plain[plain.length - 1 - pad + i] != (byte) (i + 1)) {
                throw new IpmiCodecException("encrypted payload: bad padding");
            }
        }
        return Arrays.copyOf(plain, plain.length - 1 - pad);
    }

    static byte[] hmac(CipherSuite suite, byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance(suite.hmac);
            // HMAC pads short keys with zeros: an empty password still needs a non-empty key spec
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, suite.hmac));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(suite.hmac + " unavailable", e);
        }
    }
}
