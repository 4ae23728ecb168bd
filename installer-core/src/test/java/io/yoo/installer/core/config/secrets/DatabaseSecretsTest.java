package io.yoo.installer.core.config.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.core.boot.MachineTokens;
import io.yoo.installer.core.boot.TokenSecretFile;
import io.yoo.installer.core.state.JdbcConfig;
import io.yoo.installer.core.state.SharedSecretTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets shared through the state database (embedded H2 here; the PostgreSQL race is in
 * SharedSecretTableTest, two real servers in the CLI's SharedSecretsServeTest).
 */
class DatabaseSecretsTest {
    @TempDir
    Path dir;

    @Test
    void twoServersGetTheSameSecretsAndASingleServersOwnAreKept() throws IOException {
        JdbcConfig db = new JdbcConfig("jdbc:h2:file:" + dir.resolve("db/yoo") + ";WRITE_DELAY=0", "yoo", "");
        SecretKeyFile key = key();
        Path firstState = Files.createDirectories(dir.resolve("first"));
        MachineTokens existing = TokenSecretFile.loadOrCreate(firstState); // a single server's own secret, from before
        DatabaseSecrets first = new DatabaseSecrets(new SharedSecretTable(db), key, firstState);
        DatabaseSecrets second = new DatabaseSecrets(new SharedSecretTable(db), key, Files.createDirectories(dir.resolve("second")));

        assertThat(first.tokens().tokenFor("m1")).as("the first server's own secret is offered").isEqualTo(existing.tokenFor("m1"));
        assertThat(second.tokens().tokenFor("m1")).isEqualTo(existing.tokenFor("m1"));

        assertThat(second.existing()).isEmpty();
        ClusterSecrets made = first.clusterSecrets(new SecretsGenerator());
        ClusterSecrets read = second.existing().orElseThrow();
        assertThat(read.kubernetesCa().certPem()).isEqualTo(made.kubernetesCa().certPem());
        assertThat(read.kubernetesCa().keyPem()).isEqualTo(made.kubernetesCa().keyPem());
        assertThat(read.serviceAccountKeyPem()).isEqualTo(made.serviceAccountKeyPem());
        assertThat(read.bootstrapToken()).isEqualTo(made.bootstrapToken());
        assertThat(read.certificateKey()).isEqualTo(made.certificateKey());
        assertThat(second.clusterSecrets(new SecretsGenerator()).etcdCa().certPem()).isEqualTo(made.etcdCa().certPem());
        assertThat(dir.resolve("second/secrets")).doesNotExist();
        assertThat(dir.resolve("second/" + TokenSecretFile.NAME)).doesNotExist();
    }

    private SecretKeyFile key() throws IOException {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        Path f = Files.createFile(dir.resolve("secret.key"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        return SecretKeyFile.load(Files.write(f, k));
    }
}
