package io.yoo.installer.http.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The admin API's bearer token: generated on first start, stored in a 0600 file in the state
 * directory, shown once (the caller prints it when {@link #created()}).
 */
public record AdminToken(String value, boolean created) {

    public static AdminToken loadOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            String v = Files.readString(file, StandardCharsets.US_ASCII).strip();
            if (v.length() < 16) {
                throw new IOException("admin token file " + file + " holds no usable token (delete it to generate a new one)");
            }
            return new AdminToken(v, false);
        }
        byte[] raw = new byte[24];
        new SecureRandom().nextBytes(raw);
        String v = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        Files.createDirectories(file.toAbsolutePath().getParent());
        try {
            // created with 0600 from the start: never readable by others, not even briefly
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            return loadOrCreate(file); // another process won the race
        }
        Files.writeString(file, v + "\n", StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
        return new AdminToken(v, true);
    }

    /** Constant-time comparison. */
    public boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(value.getBytes(StandardCharsets.US_ASCII), presented.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public String toString() {
        return "AdminToken[****]";
    }
}
