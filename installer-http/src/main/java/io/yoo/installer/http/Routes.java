package io.yoo.installer.http;

import io.yoo.installer.core.boot.BootFileSelector;
import io.yoo.installer.core.discovery.EnrollmentTokens;
import io.yoo.installer.core.state.ApiTokenKind;
import io.yoo.installer.core.state.InstallLogStore;
import io.yoo.installer.core.state.DiscoveryStore;
import io.yoo.installer.http.api.ApiAccess;
import io.yoo.installer.http.api.ApiGuard;
import io.yoo.installer.http.api.MachineViews;
import io.yoo.installer.http.api.NoSuchApi;
import io.yoo.installer.http.api.events.ProgressEventsEndpoint;
import io.yoo.installer.http.api.events.SseHub;
import io.yoo.installer.http.api.events.StreamEndpoint;
import io.yoo.installer.http.api.leases.LeasesEndpoint;
import io.yoo.installer.http.api.servers.ServersEndpoint;
import io.yoo.installer.http.api.logs.AttemptLogEndpoint;
import io.yoo.installer.http.api.logs.AttemptsEndpoint;
import io.yoo.installer.http.api.logs.InstallLogUploadEndpoint;
import io.yoo.installer.http.api.machines.BulkReprovisionEndpoint;
import io.yoo.installer.http.api.machines.ChangeIpEndpoint;
import io.yoo.installer.http.api.machines.MachineEndpoint;
import io.yoo.installer.http.api.machines.MachineListEndpoint;
import io.yoo.installer.http.api.machines.PowerEndpoint;
import io.yoo.installer.http.api.machines.RenderEndpoint;
import io.yoo.installer.http.api.machines.ReprovisionEndpoint;
import io.yoo.installer.http.api.summary.SummaryEndpoint;
import io.yoo.installer.http.api.audit.AuditEndpoint;
import io.yoo.installer.http.api.tokens.TokenEndpoint;
import io.yoo.installer.http.api.tokens.TokensEndpoint;
import io.yoo.installer.http.assets.AssetHandler;
import io.yoo.installer.http.assets.AssetRefusals;
import io.yoo.installer.http.boot.BootFiles;
import io.yoo.installer.http.boot.ByMacEndpoint;
import io.yoo.installer.http.boot.ClientAccess;
import io.yoo.installer.http.boot.MachineFileEndpoint;
import io.yoo.installer.http.boot.MenuEndpoint;
import io.yoo.installer.http.boot.NoSuchBootFile;
import io.yoo.installer.http.boot.ProfileLiveConfigEndpoint;
import io.yoo.installer.http.boot.ProfileReportEndpoint;
import io.yoo.installer.http.boot.StaticScriptEndpoint;
import io.yoo.installer.http.discovery.DiscoveredActionEndpoint;
import io.yoo.installer.http.discovery.DiscoveredEndpoint;
import io.yoo.installer.http.discovery.DiscoveredListEndpoint;
import io.yoo.installer.http.discovery.DiscoveryFilesEndpoint;
import io.yoo.installer.http.metrics.ProcessMetrics.Route;
import io.yoo.installer.http.metrics.ProcessMetrics;
import io.yoo.installer.http.ops.HealthEndpoint;
import io.yoo.installer.http.ops.MetricsEndpoint;
import io.yoo.installer.http.routing.Endpoint;
import io.yoo.installer.http.ui.UiHandler;
import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.eclipse.jetty.http.pathmap.PathSpec;
import org.eclipse.jetty.http.pathmap.ServletPathSpec;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.PathMappingsHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The route table: every endpoint mapped by path to its own handler, matched by Jetty's
 * {@link PathMappingsHandler} (exact paths first, then the named-parameter patterns, then the
 * longest prefix, then {@code /} for everything else). Each endpoint is wrapped in an
 * {@link Endpoint} (metrics route, blocking or not, 404/500 fallbacks); the admin API's endpoints
 * also in {@link ApiGuard} (token first, also for {@code /api/v1/*} paths nothing serves).
 */
final class Routes {
    /** Mapping order does not matter to Jetty; kept so that {@link #table()} lists routes as declared. */
    private final Map<PathSpec, Endpoint> table = new LinkedHashMap<>();
    private final ProcessMetrics metrics;

    private Routes(ProcessMetrics metrics) {
        this.metrics = metrics;
    }

    /**
     * @param rootAssets serves files at {@code /} for paths nothing else claims; null for none
     */
    static Routes of(HttpServices services, ApiAccess api, MachineViews views, SseHub sse, AssetRefusals refusals,
            AssetHandler assets, AssetHandler rootAssets) {
        Routes r = new Routes(services.metrics());

        // boot files (BootUrls): scripts from memory on the selector thread, rendered files on the pool
        BootFiles files = new BootFiles(services.artifacts(), services.sightings());
        ClientAccess access = new ClientAccess(services.tokens(), services.machines());
        r.exact(StaticScriptEndpoint.CHAIN_PATH, Route.BOOT, Endpoint.NEVER_BLOCKS, StaticScriptEndpoint.chain());
        r.exact(BootFileSelector.LOCAL_BOOT_PATH, Route.BOOT, Endpoint.NEVER_BLOCKS, StaticScriptEndpoint.localBoot());
        r.exact(MenuEndpoint.PATH, Route.BOOT, Endpoint.NEVER_BLOCKS, new MenuEndpoint(files));
        EnrollmentTokens enrollment = new EnrollmentTokens(services.tokens());
        Optional<DiscoveryStore> discovered = services.store() instanceof DiscoveryStore d ? Optional.of(d) : Optional.empty();
        r.add(new ServletPathSpec(ByMacEndpoint.PREFIX + "*"), Route.BOOT, ByMacEndpoint::mayBlock,
                new ByMacEndpoint(files, services.machines(), access, enrollment));
        r.add(DiscoveryFilesEndpoint.PATH, Route.BOOT, Endpoint.MAY_BLOCK,
                new DiscoveryFilesEndpoint(services.artifacts(), services.machines(), enrollment, discovered));
        r.add(new ServletPathSpec(MachineFileEndpoint.PREFIX + "*"), Route.BOOT, MachineFileEndpoint::mayBlock,
                new MachineFileEndpoint(files, access));
        r.add(ProfileLiveConfigEndpoint.PATH, Route.BOOT, Endpoint.MAY_BLOCK, new ProfileLiveConfigEndpoint(files));
        r.add(ProfileReportEndpoint.PATH, Route.BOOT, Endpoint.MAY_BLOCK, new ProfileReportEndpoint(files));
        NoSuchBootFile noBootFile = new NoSuchBootFile();
        r.add(new ServletPathSpec("/boot/*"), Route.BOOT, Endpoint.MAY_BLOCK, noBootFile);
        r.add(new ServletPathSpec("/profiles/*"), Route.BOOT, Endpoint.MAY_BLOCK, noBootFile);

        // assets: written asynchronously (ResourceService, FileRegionWriter)
        r.add(new ServletPathSpec(AssetHandler.PREFIX + "/*"), Route.ASSETS, Endpoint.NEVER_BLOCKS, assets);

        // progress events from machines (machine token) and the admin API (admin token)
        r.add(ProgressEventsEndpoint.PATH, Route.EVENTS, Endpoint.MAY_BLOCK,
                new ProgressEventsEndpoint(services.tokens(), services.machines(), services.store(), refusals));
        InstallLogStore logs = services.store() instanceof InstallLogStore l ? l : InstallLogStore.NONE;
        r.add(InstallLogUploadEndpoint.PATH, Route.EVENTS, Endpoint.MAY_BLOCK,
                new InstallLogUploadEndpoint(services.tokens(), services.machines(), services.store(), logs));
        // discovery (#17): machines POST their inventory with an enrollment token, so the path is
        // served where progress events are; listing it needs the admin token
        r.add(new ServletPathSpec(DiscoveredEndpoint.PATH), Route.EVENTS, Endpoint.MAY_BLOCK,
                new DiscoveredEndpoint(services.artifacts(), enrollment, discovered,
                        new ApiGuard(api, ApiTokenKind.ADMIN, new DiscoveredListEndpoint(discovered)), Clock.systemUTC()));
        r.api(DiscoveredActionEndpoint.PATH, api, ApiTokenKind.ADMIN, new DiscoveredActionEndpoint(discovered, services.enrollment(), api));
        // the API: any token reads; admin tokens also act (reprovision), see secrets (render: the
        // machine's config holds its join token) and manage tokens and the audit log
        r.api(new ServletPathSpec("/api/v1/machines"), api, ApiTokenKind.READ_ONLY, new MachineListEndpoint(views));
        r.api(MachineEndpoint.PATH, api, ApiTokenKind.READ_ONLY, new MachineEndpoint(views, services.store()));
        r.api(AttemptsEndpoint.PATH, api, ApiTokenKind.READ_ONLY, new AttemptsEndpoint(views, logs));
        r.api(AttemptLogEndpoint.PATH, api, ApiTokenKind.READ_ONLY, new AttemptLogEndpoint(views, logs));
        r.api(RenderEndpoint.PATH, api, ApiTokenKind.ADMIN, new RenderEndpoint(services.artifacts()));
        r.api(ReprovisionEndpoint.PATH, api, ApiTokenKind.ADMIN, new ReprovisionEndpoint(services.store(), views, api, services.bmcs()));
        r.api(PowerEndpoint.PATH, api, ApiTokenKind.READ_ONLY, new PowerEndpoint(views, services.bmcs()));
        r.api(ChangeIpEndpoint.PATH, api, ApiTokenKind.ADMIN,
                new ChangeIpEndpoint(services.addressChange(), services.store(), views, api, services.bmcs()));
        r.api(new ServletPathSpec(BulkReprovisionEndpoint.PATH), api, ApiTokenKind.ADMIN,
                new BulkReprovisionEndpoint(services.store(), views, api, services.bmcs()));
        r.api(new ServletPathSpec("/api/v1/summary"), api, ApiTokenKind.READ_ONLY, new SummaryEndpoint(views));
        r.api(new ServletPathSpec("/api/v1/leases"), api, ApiTokenKind.READ_ONLY, new LeasesEndpoint(services.leases()));
        r.api(new ServletPathSpec("/api/v1/servers"), api, ApiTokenKind.READ_ONLY, new ServersEndpoint(services.servers()));
        r.add(new ServletPathSpec("/api/v1/stream"), Route.API, Endpoint.MAY_BLOCK,
                new ApiGuard(api, ApiTokenKind.READ_ONLY, new StreamEndpoint(sse, views), true));
        r.api(new ServletPathSpec("/api/v1/tokens"), api, ApiTokenKind.ADMIN, new TokensEndpoint(api));
        r.api(TokenEndpoint.PATH, api, ApiTokenKind.ADMIN, new TokenEndpoint(api));
        r.api(new ServletPathSpec("/api/v1/audit"), api, ApiTokenKind.ADMIN, new AuditEndpoint(api));
        r.api(new ServletPathSpec("/api/v1/*"), api, ApiTokenKind.READ_ONLY, new NoSuchApi());

        // the web UI and openapi.json, health, metrics
        UiHandler ui = new UiHandler();
        UiHandler.paths().stream().sorted().forEach(p -> r.exact(p, Route.UI, Endpoint.MAY_BLOCK, ui));
        r.exact(HealthEndpoint.LIVE, Route.HEALTH, Endpoint.NEVER_BLOCKS, HealthEndpoint.live());
        r.exact(HealthEndpoint.READY, Route.HEALTH, Endpoint.MAY_BLOCK, HealthEndpoint.ready(services.store()));
        r.exact(MetricsEndpoint.PATH, Route.METRICS, Endpoint.MAY_BLOCK, new MetricsEndpoint(services.metrics()));

        // everything else: the asset dir at the root (yoo http), or 404. The prefixes' own names
        // without the slash ("/boot", "/api/v1", ...) were never endpoints: they go here too.
        Endpoint rest = rootAssets == null
                ? new Endpoint(Route.OTHER, Endpoint.NEVER_BLOCKS, r.metrics, new Handler.Abstract.NonBlocking() {
                    @Override
                    public boolean handle(Request request, Response response, Callback callback) {
                        return false; // Endpoint answers 404
                    }
                })
                : new Endpoint(Route.ASSETS, Endpoint.NEVER_BLOCKS, r.metrics, rootAssets);
        r.put(new ServletPathSpec("/"), rest); // the servlet "default" spec: matches any path
        r.add(new ServletPathSpec("/discovery/*"), Route.BOOT, Endpoint.MAY_BLOCK, noBootFile);
        for (String prefixName : new String[] {"/boot", "/m", "/profiles", "/discovery", AssetHandler.PREFIX, "/api/v1"}) {
            r.put(new ServletPathSpec(prefixName), rest);
        }
        return r;
    }

    private void exact(String path, Route route, Predicate<Request> mayBlock, Handler endpoint) {
        // as a servlet spec "/" would be the default for every path; "" is the root alone
        add(new ServletPathSpec(path.equals("/") ? "" : path), route, mayBlock, endpoint);
    }

    private void api(PathSpec spec, ApiAccess access, ApiTokenKind needed, Handler endpoint) {
        add(spec, Route.API, Endpoint.MAY_BLOCK, new ApiGuard(access, needed, endpoint));
    }

    private void add(PathSpec spec, Route route, Predicate<Request> mayBlock, Handler endpoint) {
        put(spec, new Endpoint(route, mayBlock, metrics, endpoint));
    }

    private void put(PathSpec spec, Endpoint endpoint) {
        if (table.putIfAbsent(spec, endpoint) != null) {
            throw new IllegalStateException("two endpoints for " + spec.getDeclaration());
        }
    }

    /** The mappings, in the order they were declared (RouteTableTest checks that it asks every one). */
    Map<PathSpec, Endpoint> table() {
        return Collections.unmodifiableMap(table);
    }

    /** Jetty's handler for the table; NON_BLOCKING like every {@link Endpoint} in it. */
    PathMappingsHandler handler() {
        return handler(route -> true);
    }

    /** What the install-network listener serves when the admin surface has its own: no API, UI or metrics. */
    static boolean bootSurface(ProcessMetrics.Route route) {
        return route != ProcessMetrics.Route.API && route != ProcessMetrics.Route.UI && route != ProcessMetrics.Route.METRICS;
    }

    /** What the admin listener serves: the API, UI, metrics, health and progress events; no boot files or assets. */
    static boolean adminSurface(ProcessMetrics.Route route) {
        return route != ProcessMetrics.Route.BOOT && route != ProcessMetrics.Route.ASSETS;
    }

    /** The handler for the routes {@code serves} accepts; the others answer 404 on this listener. */
    PathMappingsHandler handler(Predicate<ProcessMetrics.Route> serves) {
        PathMappingsHandler h = new PathMappingsHandler() {
            @Override
            public InvocationType getInvocationType() {
                return InvocationType.NON_BLOCKING;
            }
        };
        table.forEach((spec, endpoint) -> {
            if (serves.test(endpoint.route())) {
                h.addMapping(spec, endpoint);
            }
        });
        return h;
    }
}
