package io.yoo.installer.core.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenSecretFileTest {
    @TempDir
    Path tmp;

    @Test
    void creates_a_private_secret_once_and_tokens_stay_the_same_across_restarts() throws Exception {
        Path state = tmp.resolve("state/.yoo");
        assertThat(TokenSecretFile.read(state)).isEmpty();

        MachineTokens first = TokenSecretFile.loadOrCreate(state);
        MachineTokens again = TokenSecretFile.loadOrCreate(state);

        Path file = state.resolve(TokenSecretFile.NAME);
        assertThat(Files.size(file)).isEqualTo(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(again.tokenFor("node-1")).isEqualTo(first.tokenFor("node-1"));
        assertThat(TokenSecretFile.read(state).orElseThrow().verify("node-1", first.tokenFor("node-1"))).isTrue();
    }

    @Test
    void another_state_directory_means_other_tokens() throws Exception {
        MachineTokens a = TokenSecretFile.loadOrCreate(tmp.resolve("a"));
        MachineTokens b = TokenSecretFile.loadOrCreate(tmp.resolve("b"));
        assertThat(a.tokenFor("node-1")).isNotEqualTo(b.tokenFor("node-1"));
    }
}
