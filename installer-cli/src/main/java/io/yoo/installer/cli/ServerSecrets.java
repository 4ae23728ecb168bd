package io.yoo.installer.cli;

import io.yoo.installer.core.boot.MachineTokens;
import io.yoo.installer.core.boot.TokenSecretFile;
import io.yoo.installer.core.config.secrets.ClusterSecrets;
import io.yoo.installer.core.config.secrets.DatabaseSecrets;
import io.yoo.installer.core.config.secrets.SecretKeyFile;
import io.yoo.installer.core.config.secrets.SecretsGenerator;
import io.yoo.installer.core.config.secrets.SecretsStore;
import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.state.JdbcConfig;
import io.yoo.installer.core.state.SharedSecretTable;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The secrets a server renders with: the machine-token secret and the cluster secrets. With
 * {@code server.secretKeyFile} they are shared by every server of the state database (sealed
 * there, made once); without it each server keeps its own in its state directory.
 */
record ServerSecrets(MachineTokens tokens, Supplier<ClusterSecrets> cluster) {
    private static final Logger LOG = LoggerFactory.getLogger(ServerSecrets.class);

    static ServerSecrets open(ClusterDescriptor d, JdbcConfig db, PrintWriter out) throws IOException {
        Path state = d.server().stateDir();
        Optional<Path> keyFile = d.server().secretKeyFile();
        if (keyFile.isPresent()) {
            DatabaseSecrets shared = new DatabaseSecrets(new SharedSecretTable(db), SecretKeyFile.load(keyFile.get()), state);
            return new ServerSecrets(shared.tokens(), BackgroundSecrets.loadOrStart(shared, new SecretsGenerator(), out));
        }
        if (d.server().databaseUrl().isPresent()) {
            LOG.warn("server.database is set but server.secretKeyFile is not: this server keeps its token secret and cluster CAs in {},"
                    + " so another server on the same database would render other tokens and CAs (see README, 'Several servers')", state);
        }
        return new ServerSecrets(TokenSecretFile.loadOrCreate(state),
                BackgroundSecrets.loadOrStart(new SecretsStore(state), new SecretsGenerator(), out));
    }
}
