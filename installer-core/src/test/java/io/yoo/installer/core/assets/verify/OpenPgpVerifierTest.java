package io.yoo.installer.core.assets.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.yoo.installer.testsupport.Peers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenPgpVerifierTest {

    @Test
    void shippedFlatcarKeyIsTheOfficialOne() {
        assertThat(OpenPgpVerifier.flatcar().fingerprints()).containsExactly("F88CFEDEFF29A5B4D9523864E25D9AED0593B34A");
    }

    @Test
    void garbageKeyIsAClearError() {
        assertThatThrownBy(() -> OpenPgpVerifier.of("hello".getBytes())).hasMessageContaining("OpenPGP public key");
    }

    /** Interop with the real peer: a key and signature made by GnuPG verify here; a flipped byte does not. */
    @Test
    void verifiesGnupgDetachedSignatures(@TempDir Path dir) throws Exception {
        Peers.requireCommands("gpg");
        Path home = Files.createDirectories(dir.resolve("gnupg"));
        home.toFile().setReadable(true, true);
        run(dir, "gpg", "--homedir", home.toString(), "--batch", "--passphrase", "", "--quick-gen-key", "Yoo Test <yoo@example.test>", "rsa2048", "sign", "never");
        Path file = Files.write(dir.resolve("flatcar_production_pxe.vmlinuz"), new byte[300_000]);
        run(dir, "gpg", "--homedir", home.toString(), "--batch", "--output", dir.resolve("k.sig").toString(), "--detach-sign", file.toString());
        run(dir, "gpg", "--homedir", home.toString(), "--batch", "--armor", "--output", dir.resolve("key.asc").toString(), "--export");
        run(dir, "gpg", "--homedir", home.toString(), "--batch", "--armor", "--output", dir.resolve("k.asc").toString(), "--detach-sign", file.toString());

        OpenPgpVerifier v = OpenPgpVerifier.fromFile(dir.resolve("key.asc"));
        assertThat(v.verify(file, Files.readAllBytes(dir.resolve("k.sig")))).hasSize(16);
        assertThat(v.verify(file, Files.readAllBytes(dir.resolve("k.asc")))).hasSize(16); // armoured .asc works too

        byte[] changed = Files.readAllBytes(file);
        changed[123] = 1;
        Files.write(file, changed);
        assertThatThrownBy(() -> v.verify(file, Files.readAllBytes(dir.resolve("k.sig")))).isInstanceOf(VerificationException.class)
                .hasMessageContaining("BAD signature");
        // and the real Flatcar key does not accept this test key's signature
        assertThatThrownBy(() -> OpenPgpVerifier.flatcar().verify(file, Files.readAllBytes(dir.resolve("k.sig"))))
                .hasMessageContaining("unknown key");
    }

    private static void run(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(List.of(cmd)).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + "\n" + out).isZero();
    }
}
