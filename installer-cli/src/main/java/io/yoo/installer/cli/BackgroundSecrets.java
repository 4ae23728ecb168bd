package io.yoo.installer.cli;

import io.yoo.installer.core.config.secrets.ClusterSecrets;
import io.yoo.installer.core.config.secrets.SecretsGenerator;
import io.yoo.installer.core.config.secrets.SecretsStore;
import java.io.IOException;
import java.io.PrintWriter;
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
 */
final class BackgroundSecrets {
    private static final Logger LOG = LoggerFactory.getLogger(BackgroundSecrets.class);

    private BackgroundSecrets() {}

    static Supplier<ClusterSecrets> loadOrStart(SecretsStore store, SecretsGenerator generator, PrintWriter out) throws IOException {
        if (store.isComplete()) {
            ClusterSecrets loaded = store.load();
            return () -> loaded;
        }
        out.println("yoo serve: generating this cluster's CAs and keys in " + store.directory() + " (in the background)");
        CompletableFuture<ClusterSecrets> pending = new CompletableFuture<>();
        Thread.ofPlatform().name("yoo-secrets").daemon(true).start(() -> {
            try {
                pending.complete(store.loadOrCreate(generator));
            } catch (IOException | RuntimeException e) {
                LOG.error("cannot create the cluster secrets in {}: {}", store.directory(), e.toString());
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
