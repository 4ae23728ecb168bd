package io.yoo.installer.core.boot;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The secret behind {@link MachineTokens}, kept in the state directory as {@code token-secret}
 * (32 random bytes, mode 0600), so tokens stay the same across restarts and `yoo render` prints
 * the URLs `yoo serve` will accept.
 */
public final class TokenSecretFile {
    public static final String NAME = "token-secret";

    private TokenSecretFile() {}

    /** The tokens of an existing state directory, if it has a secret yet. */
    public static Optional<MachineTokens> read(Path stateDir) throws IOException {
        Path f = stateDir.resolve(NAME);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        return Optional.of(new MachineTokens(Files.readAllBytes(f)));
    }

    /** Reads the secret, creating the directory and a new secret on first use. */
    public static MachineTokens loadOrCreate(Path stateDir) throws IOException {
        Optional<MachineTokens> existing = read(stateDir);
        if (existing.isPresent()) {
            return existing.get();
        }
        Files.createDirectories(stateDir);
        Path f = stateDir.resolve(NAME);
        byte[] secret = MachineTokens.newSecret();
        try {
            Files.createFile(f, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(f, secret, StandardOpenOption.TRUNCATE_EXISTING);
            return new MachineTokens(secret);
        } catch (FileAlreadyExistsException raced) {
            return new MachineTokens(Files.readAllBytes(f)); // another process created it first
        }
    }
}
