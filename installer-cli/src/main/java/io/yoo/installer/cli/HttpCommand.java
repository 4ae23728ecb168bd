package io.yoo.installer.cli;

import io.yoo.installer.core.boot.BootUrls;
import io.yoo.installer.core.boot.MachineTokens;
import io.yoo.installer.core.boot.TokenSecretFile;
import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.descriptor.Machine;
import io.yoo.installer.core.match.MachineDirectory;
import io.yoo.installer.core.render.BootMenuRenderer;
import io.yoo.installer.core.state.JdbcConfig;
import io.yoo.installer.core.state.JdbcStateStore;
import io.yoo.installer.core.template.Templates;
import io.yoo.installer.http.HttpConfig;
import io.yoo.installer.http.HttpServer;
import io.yoo.installer.http.HttpServices;
import io.yoo.installer.http.TlsConfig;
import java.io.IOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code yoo http}: the HTTP server alone — an asset directory plus the API, UI and metrics, with
 * the state store. Used by the benchmark and to serve assets beside another DHCP/TFTP setup.
 */
@Command(name = "http", mixinStandardHelpOptions = true,
        description = "Serve an asset directory, the API, the web UI and /metrics over HTTP (no DHCP/TFTP).")
final class HttpCommand implements Callable<Integer> {

    @Option(names = "--http-root", required = true, paramLabel = "DIR", description = "Asset directory, served under /assets/ and at /.")
    Path root;

    @Option(names = "--http-port", defaultValue = "8080", description = "TCP port (default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--bind", defaultValue = "0.0.0.0", description = "Address to listen on (default ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--state-dir", defaultValue = ".yoo", paramLabel = "DIR", description = "State: H2 database, admin token, token secret (default ${DEFAULT-VALUE}).")
    Path stateDir;

    @Option(names = "--db-url", paramLabel = "JDBC", description = "Shared state database, e.g. jdbc:postgresql://db/yoo (default: H2 in the state dir).")
    Optional<String> dbUrl;

    @Option(names = "--db-user", defaultValue = "yoo", description = "Database user (default ${DEFAULT-VALUE}).")
    String dbUser;

    @Option(names = "--db-password-env", defaultValue = "YOO_DB_PASSWORD", paramLabel = "VAR",
            description = "Environment variable holding the database password (default ${DEFAULT-VALUE}); never on the command line.")
    String dbPasswordEnv;

    @Option(names = "--tls-keystore", paramLabel = "FILE", description = "Serve HTTPS with this PKCS#12 keystore.")
    Optional<Path> keystore;

    @Option(names = "--tls-password-env", defaultValue = "YOO_TLS_PASSWORD", paramLabel = "VAR", description = "Environment variable holding the keystore password.")
    String tlsPasswordEnv;

    @Option(names = "--demo-machines", defaultValue = "0", paramLabel = "N",
            description = "Add N demo machines (demo-0001...) rendered by the real renderers (a generated devtest cluster);"
                    + " writes their URLs to STATE/demo-urls.txt (benchmarks, UI demos).")
    int demoMachines;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(root)) {
            System.err.println("yoo http: --http-root " + root + " is not a directory");
            return Yoo.EXIT_USAGE;
        }
        StateDirectory.ownerOnlyFromNowOn(); // before any state file exists: all of them 0600
        StateDirectory.prepare(stateDir);
        MachineTokens tokens = TokenSecretFile.loadOrCreate(stateDir);
        List<Machine> demo;
        MachineDirectory machines;
        ClusterDescriptor demoCluster = demoMachines > 0 ? DemoCluster.of(demoMachines, 8080) : null;
        if (demoCluster != null) {
            demo = demoCluster.machines();
            machines = MachineDirectory.of(demoCluster);
        } else {
            demo = List.of();
            machines = MachineDirectory.of(demo, false);
        }
        // the demo scripts carry this server's real URL, known once the port is bound
        DeferredArtifacts artifacts = new DeferredArtifacts();
        JdbcConfig db = dbUrl.map(u -> new JdbcConfig(u, dbUser, System.getenv(dbPasswordEnv))).orElse(JdbcConfig.h2File(stateDir));
        JdbcStateStore store = new JdbcStateStore(db);
        HttpConfig config = HttpConfig.plain(bind, port, root, stateDir).withAssetsAtRoot(true);
        if (keystore.isPresent()) {
            config = config.withTls(new TlsConfig(keystore.get(), System.getenv(tlsPasswordEnv)));
        }
        HttpServer http = new HttpServer(config, HttpServices.of(artifacts, tokens, store, machines));
        http.services().metrics().buildInfo(VersionProvider.version(), VersionProvider.commitOrNull());
        try {
            store.start();
        } catch (java.sql.SQLException e) {
            System.err.println("yoo http: " + e.getMessage());
            return Yoo.EXIT_ENVIRONMENT;
        }
        try {
            http.start();
        } catch (IOException e) {
            store.stop();
            System.err.println("yoo http: " + e.getMessage() + (e.getCause() instanceof BindException ? " (port in use or not permitted)" : ""));
            return Yoo.EXIT_ENVIRONMENT;
        }
        if (demoCluster != null) {
            String host = bind.equals("0.0.0.0") ? "127.0.0.1" : bind;
            BootUrls urls = new BootUrls((keystore.isPresent() ? "https://" : "http://") + host + ":" + http.port());
            artifacts.use(new BootMenuRenderer(demoCluster, urls, tokens, Templates.builtIn()));
        }
        String ui = (keystore.isPresent() ? "https://" : "http://") + (bind.equals("0.0.0.0") ? "127.0.0.1" : bind) + ":" + http.port() + "/";
        System.out.print(AdminTokenNotice.text(http.adminToken().orElseThrow(), stateDir.resolve("admin-token"), ui, AdminTokenNotice.onTerminal()));
        if (!demo.isEmpty()) {
            writeDemoUrls(demo, tokens, stateDir.resolve("demo-urls.txt"));
        }
        System.out.println("yoo http: serving " + root + " on " + bind + ":" + http.port());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            http.stop();
            store.stop();
            stopped.countDown();
        }, "yoo-shutdown"));
        stopped.await();
        return Yoo.EXIT_OK;
    }

    /** One line per machine: name, iPXE script path, events path (both with the machine token). */
    private static void writeDemoUrls(List<Machine> demo, MachineTokens tokens, Path file) throws IOException {
        BootUrls rel = new BootUrls("");
        List<String> lines = new ArrayList<>();
        for (Machine m : demo) {
            String t = tokens.tokenFor(m.name());
            lines.add(m.name() + " " + rel.ipxeScript(m.name(), t) + " " + rel.callback(m.name(), t));
        }
        Files.write(file, lines);
    }
}
