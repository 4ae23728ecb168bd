package io.yoo.installer.cli;

import io.yoo.installer.core.config.secrets.ClusterSecrets;
import io.yoo.installer.core.config.secrets.DatabaseSecrets;
import io.yoo.installer.core.config.secrets.SecretsGenerator;
import io.yoo.installer.core.config.secrets.SecretsStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster secrets for {@code yoo serve}. Existing ones are loaded before the servers start
 * (an incomplete directory is a start-up error, as before). A new cluster's are generated on a
 * background thread: four RSA-2048 key pairs take seconds, and nothing needs them until the first
 * machine asks for its config — DHCP, TFTP and boot scripts answer at once. A render that needs
 * them first waits; a generation that failed fails those renders (500) with the reason, logged.
 * The secrets live in the state directory, or, with {@code server.secretKeyFile}, in the state
 * database that several servers share ({@link DatabaseSecrets}).
 */
final class BackgroundSecrets {
    private static final Logger LOG = LoggerFactory.getLogger(BackgroundSecrets.class);

    private BackgroundSecrets() {}

    /** Reads the existing secrets, or makes and stores new ones; may take seconds. */
    private interface Source {
        Optional<ClusterSecrets> existing() throws IOException;

        ClusterSecrets loadOrCreate() throws IOException;

        String where();
    }

    static Supplier<ClusterSecrets> loadOrStart(SecretsStore store, SecretsGenerator generator, PrintWriter out) throws IOException {
        return loadOrStart(new Source() {
            @Override
            public Optional<ClusterSecrets> existing() throws IOException {
                return store.isComplete() ? Optional.of(store.load()) : Optional.empty();
            }

            @Override
            public ClusterSecrets loadOrCreate() throws IOException {
                return store.loadOrCreate(generator);
            }

            @Override
            public String where() {
                return store.directory().toString();
            }
        }, out);
    }

    static Supplier<ClusterSecrets> loadOrStart(DatabaseSecrets shared, SecretsGenerator generator, PrintWriter out) throws IOException {
        return loadOrStart(new Source() {
            @Override
            public Optional<ClusterSecrets> existing() throws IOException {
                return shared.existing();
            }

            @Override
            public ClusterSecrets loadOrCreate() throws IOException {
                return shared.clusterSecrets(generator);
            }

            @Override
            public String where() {
                return shared.where();
            }
        }, out);
    }

    private static Supplier<ClusterSecrets> loadOrStart(Source source, PrintWriter out) throws IOException {
        Optional<ClusterSecrets> existing = source.existing();
        if (existing.isPresent()) {
            ClusterSecrets loaded = existing.get();
            return () -> loaded;
        }
        out.println("yoo serve: generating this cluster's CAs and keys in " + source.where() + " (in the background)");
        CompletableFuture<ClusterSecrets> pending = new CompletableFuture<>();
        Thread.ofPlatform().name("yoo-secrets").daemon(true).start(() -> {
            try {
                pending.complete(source.loadOrCreate());
            } catch (IOException | RuntimeException e) {
                LOG.error("cannot create the cluster secrets in {}: {}", source.where(), e.toString());
                pending.completeExceptionally(e);
            }
        });
        return () -> {
            try {
                return pending.join();
            } catch (CompletionException e) {
                throw new IllegalStateException("cluster secrets unavailable: " + e.getCause().getMessage(), e.getCause());
            }
        };
    }
}
