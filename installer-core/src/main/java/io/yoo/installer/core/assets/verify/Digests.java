package io.yoo.installer.core.assets.verify;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/** SHA-256 / SHA-512 of files, as lower-case hex. */
public final class Digests {
    private Digests() {}

    public static String sha256(Path file) throws IOException {
        return hex("SHA-256", file);
    }

    /** @param algorithm {@code SHA-256} or {@code SHA-512} (also accepts {@code sha256}, {@code sha512}) */
    public static String hex(String algorithm, Path file) throws IOException {
        MessageDigest md = digest(algorithm);
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    public static MessageDigest digest(String algorithm) {
        String a = normalise(algorithm);
        try {
            return MessageDigest.getInstance(a);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalArgumentException("unsupported digest " + algorithm, e);
        }
    }

    /** {@code sha256} -> {@code SHA-256}; only SHA-256 and SHA-512 are accepted (no MD5/SHA-1). */
    public static String normalise(String algorithm) {
        String a = algorithm.toUpperCase(Locale.ROOT).replace("-", "");
        return switch (a) {
            case "SHA256" -> "SHA-256";
            case "SHA512" -> "SHA-512";
            default -> throw new IllegalArgumentException("unsupported digest " + algorithm + " (use sha256 or sha512)");
        };
    }

    /** Hex length of a digest: 64 for SHA-256, 128 for SHA-512. */
    public static int hexLength(String algorithm) {
        return "SHA-256".equals(normalise(algorithm)) ? 64 : 128;
    }
}
