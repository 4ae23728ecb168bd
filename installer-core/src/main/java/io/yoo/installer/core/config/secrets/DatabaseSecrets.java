package io.yoo.installer.core.config.secrets;

import io.yoo.installer.core.boot.MachineTokens;
import io.yoo.installer.core.boot.TokenSecretFile;
import io.yoo.installer.core.state.SharedSecretTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The token secret and the cluster secrets of servers that share a state database
 * ({@code server.secretKeyFile} set): made once for the whole cluster, kept sealed in
 * {@code yoo_shared_secret}, read by every server, so each renders the same boot scripts and
 * configs. Nothing is written to the state directory.
 *
 * <p>A server that already has its own secrets in its state directory (a single server moving to
 * a shared database) offers them when the database has none, so machines it set up stay valid;
 * when the database already holds others, those win and the difference is logged.
 */
public final class DatabaseSecrets {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseSecrets.class);
    public static final String TOKEN_SECRET = "token-secret";
    public static final String CLUSTER_SECRETS = "cluster-secrets";

    private final SharedSecretTable table;
    private final SecretKeyFile key;
    private final Path stateDir;

    public DatabaseSecrets(SharedSecretTable table, SecretKeyFile key, Path stateDir) {
        this.table = table;
        this.key = key;
        this.stateDir = stateDir;
    }

    /** Where the secrets live, for messages. */
    public String where() {
        return "the state database (sealed with " + key + ")";
    }

    /** The cluster's machine-token secret, made (or taken from this state directory) on first use. */
    public MachineTokens tokens() throws IOException {
        Path localFile = stateDir.resolve(TokenSecretFile.NAME);
        Optional<byte[]> local = Files.isRegularFile(localFile) ? Optional.of(Files.readAllBytes(localFile)) : Optional.empty();
        SharedSecretTable.Stored s = getOrCreate(TOKEN_SECRET, () -> local.orElseGet(MachineTokens::newSecret));
        byte[] secret = key.open(TOKEN_SECRET, s.value());
        if (s.createdHere()) {
            LOG.info("token secret stored in {}{}", where(), local.isPresent() ? ", taken from " + localFile : "");
        } else if (local.isPresent() && !Arrays.equals(local.get(), secret)) {
            LOG.warn("{} differs from the cluster's token secret in the state database, which wins: URLs this server handed out"
                    + " before no longer work (reprovision those machines)", localFile);
        }
        return new MachineTokens(secret);
    }

    /** The cluster secrets if some server stored them already. */
    public Optional<ClusterSecrets> existing() throws IOException {
        try {
            Optional<String> sealed = table.read(CLUSTER_SECRETS);
            return sealed.isEmpty() ? Optional.empty() : Optional.of(decode(key.open(CLUSTER_SECRETS, sealed.get())));
        } catch (SQLException e) {
            throw new IOException("cannot read the shared secrets from the state database: " + e.getMessage(), e);
        }
    }

    /**
     * The cluster secrets: the stored ones, else this state directory's, else new ones from
     * {@code generator} — made at most once per database, however many servers start together.
     */
    public ClusterSecrets clusterSecrets(SecretsGenerator generator) throws IOException {
        SecretsStore local = new SecretsStore(stateDir);
        SharedSecretTable.Stored s = getOrCreate(CLUSTER_SECRETS, () -> {
            try {
                return encode(local.isComplete() ? local.load() : generator.generate());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        ClusterSecrets secrets = decode(key.open(CLUSTER_SECRETS, s.value()));
        if (s.createdHere()) {
            LOG.info("cluster secrets ({}) stored in {}{}", secrets, where(), local.isComplete() ? ", taken from " + local.directory() : "");
        } else if (local.isComplete() && !local.load().kubernetesCa().certPem().equals(secrets.kubernetesCa().certPem())) {
            LOG.warn("{} holds other cluster secrets than the state database, which win: nodes joined with the old CA must be reinstalled",
                    local.directory());
        }
        return secrets;
    }

    private SharedSecretTable.Stored getOrCreate(String name, Supplier<byte[]> plain) throws IOException {
        try {
            return table.getOrCreate(name, () -> key.seal(name, plain.get()));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (SQLException e) {
            throw new IOException("cannot store the shared secrets in the state database: " + e.getMessage(), e);
        }
    }

    /** One line per file of {@link SecretsStore}: name, space, base64 of the content. */
    static byte[] encode(ClusterSecrets s) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, String> f : SecretsStore.toFiles(s).entrySet()) {
            b.append(f.getKey()).append(' ')
                    .append(Base64.getEncoder().encodeToString(f.getValue().getBytes(StandardCharsets.UTF_8))).append('\n');
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    static ClusterSecrets decode(byte[] encoded) throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        for (String line : new String(encoded, StandardCharsets.UTF_8).split("\n")) {
            int sp = line.indexOf(' ');
            if (sp > 0) {
                files.put(line.substring(0, sp), new String(Base64.getDecoder().decode(line.substring(sp + 1)), StandardCharsets.UTF_8));
            }
        }
        return SecretsStore.fromFiles(files, "the state database");
    }
}
