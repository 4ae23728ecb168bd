package io.yoo.installer.core.config.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The key that seals shared secrets: raw or base64, owner-only, and sealed values open only with it under their name. */
class SecretKeyFileTest {
    @TempDir
    Path dir;

    @Test
    void sealedValuesOpenWithTheSameKeyUnderTheSameNameOnly() throws IOException {
        byte[] k = random(32);
        SecretKeyFile raw = SecretKeyFile.load(keyFile("raw.key", k));
        SecretKeyFile b64 = SecretKeyFile.load(keyFile("b64.key", (Base64.getEncoder().encodeToString(k) + "\n").getBytes(StandardCharsets.US_ASCII)));
        assertThat(b64.fingerprint()).isEqualTo(raw.fingerprint());
        byte[] secret = "-----BEGIN PRIVATE KEY----- x".getBytes(StandardCharsets.US_ASCII);
        String sealed = raw.seal("token-secret", secret);
        assertThat(new String(Base64.getDecoder().decode(sealed), StandardCharsets.ISO_8859_1)).doesNotContain("PRIVATE KEY");
        assertThat(raw.seal("token-secret", secret)).as("a fresh nonce each time").isNotEqualTo(sealed);
        assertThat(b64.open("token-secret", sealed)).isEqualTo(secret);

        assertThatThrownBy(() -> raw.open("cluster-secrets", sealed)).hasMessageContaining("sealed with another key, or changed");
        SecretKeyFile other = SecretKeyFile.load(keyFile("other.key", random(32)));
        assertThatThrownBy(() -> other.open("token-secret", sealed)).hasMessageContaining("every server of the cluster needs the same key file")
                .hasMessageContaining(other.fingerprint());
        byte[] tampered = Base64.getDecoder().decode(sealed);
        tampered[tampered.length - 1] ^= 1;
        assertThatThrownBy(() -> raw.open("token-secret", Base64.getEncoder().encodeToString(tampered))).isInstanceOf(IOException.class);
    }

    @Test
    void aMissingShortOrWorldReadableKeyFileIsRefusedWithTheFix() throws IOException {
        assertThatThrownBy(() -> SecretKeyFile.load(dir.resolve("none.key"))).hasMessageContaining("does not exist")
                .hasMessageContaining("head -c 32 /dev/urandom");
        Path shortKey = keyFile("short.key", random(16));
        assertThatThrownBy(() -> SecretKeyFile.load(shortKey)).hasMessageContaining(shortKey + " holds 16 bytes");
        Path open = keyFile("open.key", random(32));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> SecretKeyFile.load(open)).hasMessageContaining("chmod 600 " + open);
    }

    private Path keyFile(String name, byte[] content) throws IOException {
        Path f = Files.createFile(dir.resolve(name), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        return Files.write(f, content);
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }
}
