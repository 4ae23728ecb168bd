package io.yoo.installer.http;

import io.yoo.installer.api.lifecycle.Lifecycle;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.core.state.AccessStore;
import io.yoo.installer.http.api.AdminToken;
import io.yoo.installer.http.api.ApiAccess;
import io.yoo.installer.http.api.MachineViews;
import io.yoo.installer.http.api.events.SseHub;
import io.yoo.installer.http.api.events.StreamPublisher;
import io.yoo.installer.http.assets.AssetHandler;
import io.yoo.installer.http.assets.AssetRefusals;
import io.yoo.installer.http.support.CloseWhenBodyUnread;
import io.yoo.installer.http.transfer.SendfileConnector;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Function;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Yoo's HTTP server (Jetty 12, core handlers): boot scripts and per-machine files, assets,
 * progress events, the admin REST API with its live stream, the web UI, health and metrics.
 *
 * <pre>{@code
 * HttpServer http = new HttpServer(HttpConfig.plain("0.0.0.0", 8080, assetDir, stateDir),
 *         HttpServices.of(artifacts, tokens, store, MachineDirectory.of(descriptor)));
 * http.start();            // the store must already be started
 * http.adminToken();       // print it when http.adminToken().created()
 * }</pre>
 */
public final class HttpServer implements Lifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);

    private final HttpConfig config;
    private final HttpServices services;
    private final SseHub sse = new SseHub();
    private Server server;
    private SendfileConnector connector;
    private SendfileConnector adminConnector;
    private AdminToken adminToken;
    private StreamPublisher publisher;

    public HttpServer(HttpConfig config, HttpServices services) {
        this.config = config;
        this.services = services;
    }

    @Override
    public String name() {
        return "http";
    }

    @Override
    public synchronized void start() throws Exception {
        if (server != null) {
            throw new IllegalStateException("http server already started");
        }
        if (!services.store().isRunning()) {
            throw new IllegalStateException("start the state store before the HTTP server");
        }
        adminToken = AdminToken.loadOrCreate(config.adminTokenFile());
        if (adminToken.created()) {
            // the value goes to the operator's terminal (the caller prints it once), never into logs
            LOG.warn("generated a new admin API token in {}", config.adminTokenFile());
        }

        QueuedThreadPool threads = new QueuedThreadPool(256, 8);
        threads.setName("yoo-http");
        Server s = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        // keep Jetty's default refusal of ambiguous paths (%2e%2e, encoded '/'): no path escape
        http.setUriCompliance(UriCompliance.DEFAULT);
        // One selector per core: the handler is non-blocking, so Jetty answers static files and
        // boot scripts on the selector thread that read them, and its default (cores / 2, so one
        // on a 2-core machine) would leave every other core idle for those requests.
        int selectors = Math.max(1, Runtime.getRuntime().availableProcessors());
        SendfileConnector c = connector(s, http, selectors, config.bind(), config.port(), config.tls());
        s.addConnector(c);
        SendfileConnector a = null;
        if (config.admin().isPresent()) {
            AdminListener al = config.admin().get();
            a = connector(s, http, 1, al.bind(), al.port(), al.tls());
            s.addConnector(a);
        }

        MachineViews views = new MachineViews(services.machines(), services.store(), services.foreignDhcp());
        AssetRefusals refusals = new AssetRefusals();
        Function<Ipv4, String> who = ip -> ip + services.machines().machines().stream()
                .filter(m -> services.machines().reservedAddress(m).map(ip::equals).orElse(false))
                .findFirst().map(m -> " (" + m.name() + ")").orElse("");
        services.metrics().bind(services.store());
        services.metrics().bindMachineCounts(views::countByState);
        services.metrics().bindForeignDhcp(services.foreignDhcp());
        services.metrics().bindSendfile(c::bytesSentFromFile);
        publisher = new StreamPublisher(sse, views);
        services.store().addListener(publisher);
        Routes routes = Routes.of(services, new ApiAccess(adminToken,
                services.store() instanceof AccessStore access ? Optional.of(access) : Optional.empty()), views, sse, refusals,
                new AssetHandler(config.assetDir(), services.assetGate(), refusals, who, AssetHandler.PREFIX),
                config.assetsAtRoot() ? new AssetHandler(config.assetDir(), services.assetGate(), refusals, who, "") : null);
        s.setHandler(new CloseWhenBodyUnread(a == null ? routes.handler()
                : new ListenerSplit(routes.handler(Routes::bootSurface), routes.handler(Routes::adminSurface), a)));
        s.setStopTimeout(2_000);
        try {
            s.start();
        } catch (Exception e) {
            try {
                s.stop();
            } catch (Exception ignored) {
                // already failing: report the start error
            }
            throw new IOException("cannot start HTTP server on " + config.bind() + ":" + config.port()
                    + config.admin().map(x -> " (admin " + x.bind() + ":" + x.port() + ")").orElse("") + ": " + e.getMessage(), e);
        }
        server = s;
        connector = c;
        adminConnector = a;
        LOG.info("http server listening on {}://{}:{} (assets {})", config.tls().isPresent() ? "https" : "http", config.bind(), port(), config.assetDir());
        config.admin().ifPresent(x -> LOG.info("admin API, UI and metrics on {}://{}:{} only", x.tls().isPresent() ? "https" : "http",
                x.bind(), adminPort()));
    }

    private static SendfileConnector connector(Server s, HttpConfiguration base, int selectors, String bind, int port,
            Optional<TlsConfig> tls) throws IOException {
        SendfileConnector c;
        if (tls.isPresent()) {
            HttpConfiguration https = new HttpConfiguration(base);
            https.addCustomizer(new SecureRequestCustomizer(false));
            c = new SendfileConnector(s, 1, selectors, new SslConnectionFactory(TlsContexts.of(tls.get()), "http/1.1"),
                    new HttpConnectionFactory(https));
        } else {
            c = new SendfileConnector(s, 1, selectors, new HttpConnectionFactory(base));
        }
        c.setHost(bind);
        c.setPort(port);
        c.setIdleTimeout(60_000);
        c.setAcceptQueueSize(1024);
        return c;
    }

    @Override
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        publisher.close();
        sse.closeAll();
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("error stopping the HTTP server", e);
        }
        server = null;
        connector = null;
        adminConnector = null;
    }

    @Override
    public synchronized boolean isRunning() {
        return server != null && server.isRunning();
    }

    /** The bound port (useful with port 0). */
    public synchronized int port() {
        if (connector == null) {
            throw new IllegalStateException("http server not started");
        }
        return connector.getLocalPort();
    }

    /** The admin listener's bound port; the main port when the admin surface is not apart. */
    public synchronized int adminPort() {
        if (connector == null) {
            throw new IllegalStateException("http server not started");
        }
        return adminConnector == null ? connector.getLocalPort() : adminConnector.getLocalPort();
    }

    /** The admin token in use (after start); {@code created()} says whether to show it. */
    public synchronized Optional<AdminToken> adminToken() {
        return Optional.ofNullable(adminToken);
    }

    public HttpServices services() {
        return services;
    }
}
