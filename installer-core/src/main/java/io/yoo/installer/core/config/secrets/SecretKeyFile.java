package io.yoo.installer.core.config.secrets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key in {@code server.secretKeyFile} that seals the secrets servers share through the state
 * database: AES-256-GCM, a fresh 96-bit nonce per value, the value's name as associated data (a
 * sealed value copied under another name does not open). Every server of a cluster has the same
 * file; the database alone (a dump, a backup, a replica) reveals no secret.
 *
 * <p>The file holds 32 random bytes, raw ({@code head -c 32 /dev/urandom}) or as one base64 line
 * ({@code openssl rand -base64 32}). A file others may read is refused.
 */
public final class SecretKeyFile {
    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path file;
    private final SecretKeySpec key;
    private final String fingerprint;

    private SecretKeyFile(Path file, byte[] key) {
        this.file = file;
        this.key = new SecretKeySpec(key, "AES");
        this.fingerprint = fingerprint(key);
    }

    /** Reads and checks the key file; the message of a failure names the file and the fix. */
    public static SecretKeyFile load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("server.secretKeyFile " + file + " does not exist: create it once (head -c 32 /dev/urandom > "
                    + file + "; chmod 600 " + file + ") and copy the same file to every server of the cluster");
        }
        PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (posix != null) {
            Set<PosixFilePermission> p = posix.readAttributes().permissions();
            if (p.contains(PosixFilePermission.OTHERS_READ) || p.contains(PosixFilePermission.OTHERS_WRITE)) {
                throw new IOException("server.secretKeyFile " + file + " may be read or written by any user: chmod 600 " + file);
            }
        }
        byte[] raw = Files.readAllBytes(file);
        if (raw.length == KEY_BYTES) {
            return new SecretKeyFile(file, raw);
        }
        if (raw.length <= 4 * KEY_BYTES) {
            try {
                byte[] decoded = Base64.getDecoder().decode(new String(raw, StandardCharsets.US_ASCII).strip());
                if (decoded.length == KEY_BYTES) {
                    return new SecretKeyFile(file, decoded);
                }
            } catch (IllegalArgumentException notBase64) {
                // fall through to the error
            }
        }
        throw new IOException("server.secretKeyFile " + file + " holds " + raw.length
                + " bytes: expected 32 random bytes (head -c 32 /dev/urandom) or their base64 (openssl rand -base64 32)");
    }

    /** {@code plain} sealed under this key, bound to {@code name}: base64 of nonce, ciphertext and tag. */
    public String seal(String name, byte[] plain) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(name.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = c.doFinal(plain);
            byte[] out = Arrays.copyOf(nonce, NONCE_BYTES + sealed.length);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable in this JVM", e);
        }
    }

    /** The plain bytes of a value {@link #seal} made under {@code name}; a wrong key or a changed value is an error. */
    public byte[] open(String name, String sealed) throws IOException {
        byte[] in;
        try {
            in = Base64.getDecoder().decode(sealed);
        } catch (IllegalArgumentException e) {
            throw new IOException("shared secret '" + name + "' in the database is not sealed data (not base64)");
        }
        if (in.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new IOException("shared secret '" + name + "' in the database is truncated (" + in.length + " bytes)");
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            c.updateAAD(name.getBytes(StandardCharsets.UTF_8));
            return c.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new IOException("cannot open shared secret '" + name + "' with server.secretKeyFile " + file + " (key " + fingerprint
                    + "): it was sealed with another key, or changed in the database; every server of the cluster needs the same key file");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable in this JVM", e);
        }
    }

    /** The first 8 hex digits of the key's SHA-256: compares key files across servers without showing the key. */
    public String fingerprint() {
        return fingerprint;
    }

    public Path file() {
        return file;
    }

    private static String fingerprint(byte[] key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key), 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "SecretKeyFile[" + file + ", key " + fingerprint + "]"; // never the key
    }
}
