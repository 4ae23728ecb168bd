package io.yoo.installer.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.http.api.AdminToken;
import io.yoo.installer.http.api.ApiAccess;
import io.yoo.installer.http.api.MachineViews;
import io.yoo.installer.http.api.events.SseHub;
import io.yoo.installer.http.assets.AssetHandler;
import io.yoo.installer.http.assets.AssetRefusals;
import io.yoo.installer.http.routing.Endpoint;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.pathmap.PathMappings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every route of the table, asked with its method and with a wrong one (and the paths next to
 * the routes: the prefixes without their slash, empty parameters, unknown files): which status,
 * which answer, and under which metrics route it is counted. The expectations are those of the
 * hand-written router the route table replaced (this test passed against it unchanged). Paths
 * with an empty segment ({@code /api/v1/machines//events}) never reach a route: Jetty's URI
 * compliance answers them 400.
 */
class RouteTableTest {
    private static final Pattern COUNT = Pattern.compile("yoo_http_requests_total\\{route=\"([a-z]+)\",status=\"([1-5]xx)\"} ([0-9.]+)");

    @TempDir
    Path dir;
    TestServer s;

    @AfterEach
    void stop() {
        if (s != null) {
            s.close();
        }
    }

    /** One request and what it must get. {@code admin}: send the admin bearer token. */
    record Row(String method, String path, boolean admin, int status, String bodyContains, String route) {
        static Row of(String method, String path, int status, String body, String route) {
            return new Row(method, path, false, status, body, route);
        }

        static Row admin(String method, String path, int status, String body) {
            return new Row(method, path, true, status, body, "api");
        }
    }

    @Test
    void everyRouteWithItsMethodAndAWrongOne() throws Exception {
        s = new TestServer(dir);
        Files.writeString(s.assetDir.resolve("f.txt"), "file");
        String token = s.tokens.tokenFor("node-a");
        List<Row> rows = List.of(
                // boot files: GET/HEAD only, except the menu report (POST only)
                Row.of("GET", "/boot.ipxe", 200, "chain --replace", "boot"),
                Row.of("HEAD", "/boot.ipxe", 200, "", "boot"),
                Row.of("POST", "/boot.ipxe", 405, "only GET and HEAD", "boot"),
                Row.of("GET", "/boot/local.ipxe", 200, "#!ipxe", "boot"),
                Row.of("PUT", "/boot/local.ipxe", 405, "only GET and HEAD", "boot"),
                Row.of("GET", "/boot/menu.ipxe", 404, "no boot menu", "boot"),
                Row.of("POST", "/boot/menu.ipxe", 405, "only GET and HEAD", "boot"),
                Row.of("GET", "/boot/by-mac/52-54-00-00-00-0a.ipxe", 200, "", "boot"),
                Row.of("GET", "/boot/by-mac/52-54-00-00-00-0b.ipxe", 403, "forbidden", "boot"),
                Row.of("GET", "/boot/by-mac/52-54-00-00-00-99.ipxe", 404, "unknown machine", "boot"),
                Row.of("GET", "/boot/by-mac/zz.ipxe", 400, "bad MAC address", "boot"),
                Row.of("GET", "/boot/by-mac/zz", 404, "no such boot file", "boot"),
                Row.of("DELETE", "/boot/by-mac/52-54-00-00-00-0a.ipxe", 405, "only GET and HEAD", "boot"),
                Row.of("GET", "/boot/other", 404, "no such boot file", "boot"),
                Row.of("POST", "/boot/other", 405, "only GET and HEAD", "boot"),
                Row.of("GET", "/m/node-a/" + token + "/config", 200, "", "boot"),
                Row.of("GET", "/m/node-a/" + token + "/boot.ipxe", 200, "", "boot"),
                Row.of("GET", "/m/node-a/wrong/config", 403, "forbidden", "boot"),
                Row.of("GET", "/m/node-a/" + token + "/nofile", 404, "no such boot file", "boot"),
                Row.of("GET", "/m/node-a/" + token, 404, "no such boot file", "boot"),
                Row.of("POST", "/m/node-a/" + token + "/config", 405, "only GET and HEAD", "boot"),
                Row.of("GET", "/profiles/p/live-config", 404, "no live config", "boot"),
                Row.of("POST", "/profiles/p/live-config", 405, "only GET and HEAD", "boot"),
                Row.of("POST", "/profiles/p/report", 404, "allowUnknown is off", "boot"),
                Row.of("GET", "/profiles/p/report", 405, "use POST", "boot"),
                Row.of("GET", "/profiles/p/report/x", 404, "no such boot file", "boot"),
                Row.of("POST", "/profiles/p/other", 405, "only GET and HEAD", "boot"),
                // discovery (off here): token-guarded files of a machine in no descriptor, its report, the admin list
                Row.of("GET", "/discovery/52-54-00-00-00-99/1.AAAAAAAAAAAAAAAAAAAAAA/status", 404, "discovery is off", "boot"),
                Row.of("POST", "/discovery/52-54-00-00-00-99/1.AAAAAAAAAAAAAAAAAAAAAA/live-config", 405, "use GET", "boot"),
                Row.of("GET", "/discovery/52-54-00-00-00-99/x/other", 404, "no such boot file", "boot"),
                Row.of("POST", "/api/v1/discovered", 404, "discovery is off", "events"),
                Row.of("GET", "/api/v1/discovered", 401, "admin token required", "events"),
                new Row("GET", "/api/v1/discovered", true, 200, "[]", "events"),
                new Row("PUT", "/api/v1/discovered", true, 405, "GET lists", "events"),
                Row.of("POST", "/api/v1/discovered/1/enroll", 401, "admin token required", "api"),
                Row.admin("POST", "/api/v1/discovered/1/reject", 404, "no discovered machine #1"),
                Row.admin("GET", "/api/v1/discovered/1/enroll", 405, "use POST"),
                // assets: GET/HEAD; anything else is not found
                Row.of("GET", "/assets/f.txt", 200, "file", "assets"),
                Row.of("GET", "/assets/missing", 404, "", "assets"),
                Row.of("POST", "/assets/f.txt", 404, "not found", "assets"),
                // progress events: POST only, machine token, before any admin check
                Row.of("POST", "/api/v1/machines/node-a/events", 403, "forbidden", "events"),
                Row.of("GET", "/api/v1/machines/node-a/events", 405, "use POST", "events"),
                Row.admin("GET", "/api/v1/machines/a/b/events", 404, "no such API"),
                // install logs: uploaded with the machine token (POST/PUT), read with an API token
                Row.of("POST", "/api/v1/machines/node-a/log", 403, "forbidden", "events"),
                Row.of("GET", "/api/v1/machines/node-a/log", 405, "use POST or PUT", "events"),
                Row.of("GET", "/api/v1/machines/node-a/attempts", 401, "admin token required", "api"),
                Row.admin("GET", "/api/v1/machines/node-a/attempts", 200, "{\"items\":[]}"),
                Row.admin("POST", "/api/v1/machines/node-a/attempts", 405, "use GET"),
                Row.admin("GET", "/api/v1/machines/node-a/attempts/0/log", 404, "no install log of node-a attempt 0"),
                Row.admin("DELETE", "/api/v1/machines/node-a/attempts/0/log", 405, "use GET"),
                Row.admin("GET", "/api/v1/machines/node-a/attempts/x/log", 404, "no such API"),
                // admin API: token first (also where nothing is served), GET only except reprovision
                Row.of("GET", "/api/v1/machines", 401, "admin token required", "api"),
                Row.admin("GET", "/api/v1/machines", 200, "\"node-a\""),
                Row.admin("POST", "/api/v1/machines", 405, "use GET"),
                Row.admin("GET", "/api/v1/machines/node-a", 200, "\"history\""),
                Row.admin("GET", "/api/v1/machines/nobody", 404, "no machine named 'nobody'"),
                Row.admin("GET", "/api/v1/machines/", 404, "no machine named ''"),
                Row.admin("HEAD", "/api/v1/machines/node-a", 405, ""),
                Row.admin("GET", "/api/v1/machines/node-a/render/config", 200, ""),
                Row.admin("GET", "/api/v1/machines/node-a/render/bogus", 400, "bogus"),
                Row.admin("POST", "/api/v1/machines/node-a/render/config", 405, "use GET"),
                Row.admin("GET", "/api/v1/machines/node-a/reprovision", 405, "use POST"),
                Row.of("POST", "/api/v1/machines/node-a/reprovision", 401, "admin token required", "api"),
                Row.admin("POST", "/api/v1/machines/node-a/reprovision", 200, "\"node-a\""),
                Row.admin("GET", "/api/v1/machines/node-a/power", 200, "\"power\":null"),
                Row.admin("GET", "/api/v1/machines/node-a/change-ip", 405, "use POST"),
                Row.of("POST", "/api/v1/machines/node-a/change-ip", 401, "admin token required", "api"),
                Row.admin("POST", "/api/v1/machines/node-a/change-ip", 409, "cannot change addresses"),
                Row.admin("POST", "/api/v1/machines/node-a/power", 405, "use GET"),
                Row.of("POST", "/api/v1/reprovision", 401, "admin token required", "api"),
                Row.admin("POST", "/api/v1/reprovision", 400, "say which machines"),
                Row.admin("GET", "/api/v1/reprovision", 405, "use POST"),
                Row.admin("GET", "/api/v1/summary", 200, "\"doneStates\":[\"installed\",\"rebooting\",\"running\"]"),
                Row.admin("POST", "/api/v1/summary", 405, "use GET"),
                Row.admin("GET", "/api/v1/leases", 200, "[]"),
                Row.admin("PUT", "/api/v1/leases", 405, "use GET"),
                Row.admin("GET", "/api/v1/servers", 200, "[]"),
                Row.admin("PUT", "/api/v1/servers", 405, "use GET"),
                Row.admin("POST", "/api/v1/stream", 405, "use GET"),
                Row.of("GET", "/api/v1/stream", 401, "admin token required", "api"),
                Row.admin("GET", "/api/v1/tokens", 200, "[]"),
                Row.admin("PUT", "/api/v1/tokens", 405, "use GET or POST"),
                Row.admin("DELETE", "/api/v1/tokens/nobody", 404, "no token named 'nobody'"),
                Row.admin("GET", "/api/v1/tokens/nobody", 405, "use DELETE"),
                Row.admin("GET", "/api/v1/audit", 200, "\"action\":\"machine.reprovision\""),
                Row.admin("POST", "/api/v1/audit", 405, "use GET"),
                Row.of("GET", "/api/v1/nothing", 401, "admin token required", "api"),
                Row.admin("GET", "/api/v1/nothing", 404, "no such API: GET /api/v1/nothing"),
                // UI, health, metrics: any method
                Row.of("GET", "/", 200, "<html", "ui"),
                Row.of("POST", "/index.html", 200, "<html", "ui"),
                Row.of("GET", "/ui/app.js", 200, "EventSource", "ui"),
                Row.of("GET", "/ui/app.css", 200, "", "ui"),
                Row.of("GET", "/ui/discovered.js", 200, "api/v1/", "ui"),
                Row.of("GET", "/openapi.json", 200, "\"openapi\"", "ui"),
                Row.of("POST", "/healthz", 200, "ok", "health"),
                Row.of("GET", "/readyz", 200, "ready", "health"),
                Row.of("POST", "/metrics", 200, "yoo_http_requests_total", "metrics"),
                // nothing: also the prefixes without their slash, and no token asked for /api/v1
                Row.of("GET", "/ui/other", 404, "not found", "other"),
                Row.of("GET", "/nothing", 404, "not found", "other"),
                Row.of("GET", "/boot", 404, "not found", "other"),
                Row.of("GET", "/m", 404, "not found", "other"),
                Row.of("GET", "/profiles", 404, "not found", "other"),
                Row.of("GET", "/discovery", 404, "not found", "other"),
                Row.of("GET", "/assets", 404, "not found", "other"),
                Row.of("GET", "/api/v1", 404, "not found", "other"),
                Row.of("GET", "/healthz/", 404, "not found", "other"));
        assertThat(failures(rows)).isEmpty();
        assertThat(uncovered(rows)).as("routes no row asks").isEmpty();
    }

    /** With the asset dir at the root, what no route claims is an asset (counted as one). */
    @Test
    void assetsAtRootTakeWhatNoRouteClaims() throws Exception {
        s = new TestServer(dir, c -> c.withAssetsAtRoot(true), Function.identity(), TestServer.MACHINES);
        Files.writeString(s.assetDir.resolve("f.txt"), "file");
        Files.createDirectories(s.assetDir.resolve("api"));
        Files.writeString(s.assetDir.resolve("api/v1"), "shadowed");
        List<Row> rows = List.of(
                Row.of("GET", "/f.txt", 200, "file", "assets"),
                Row.of("GET", "/assets/f.txt", 200, "file", "assets"),
                Row.of("GET", "/missing", 404, "not found", "assets"),
                Row.of("POST", "/f.txt", 404, "not found", "assets"),
                Row.of("GET", "/api/v1", 200, "shadowed", "assets"),
                Row.of("GET", "/api/v1/summary", 401, "admin token required", "api"),
                Row.of("GET", "/healthz", 200, "ok", "health"));
        assertThat(failures(rows)).isEmpty();
    }

    /** The table's path specs that none of the rows' paths is matched by. */
    private Set<String> uncovered(List<Row> rows) throws Exception {
        HttpServices services = s.server.services();
        Routes routes = Routes.of(services, new ApiAccess(AdminToken.loadOrCreate(dir.resolve("other-token")), Optional.empty()),
                new MachineViews(services.machines(), services.store()), new SseHub(), new AssetRefusals(),
                new AssetHandler(s.assetDir, p -> true), null);
        PathMappings<Endpoint> mappings = new PathMappings<>();
        routes.table().forEach(mappings::put);
        Set<String> uncovered = new TreeSet<>();
        routes.table().keySet().forEach(spec -> uncovered.add(spec.getDeclaration()));
        rows.forEach(r -> uncovered.remove(mappings.getMatched(r.path()).getPathSpec().getDeclaration()));
        return uncovered;
    }

    private List<String> failures(List<Row> rows) throws Exception {
        List<String> failures = new ArrayList<>();
        for (Row row : rows) {
            String counter = row.route() + " " + (row.status() / 100) + "xx";
            double before = count(counter);
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(s.base() + row.path()))
                    .method(row.method(), HttpRequest.BodyPublishers.noBody());
            if (row.admin()) {
                b.header("Authorization", "Bearer " + s.adminToken());
            }
            HttpResponse<String> r = s.client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            String what = row.method() + " " + row.path() + (row.admin() ? " (admin)" : "");
            if (r.statusCode() != row.status() || !r.body().contains(row.bodyContains())) {
                failures.add(what + ": expected " + row.status() + " containing '" + row.bodyContains() + "', got " + r.statusCode() + " "
                        + r.body().lines().findFirst().orElse(""));
            }
            // counted when the response completed, which may be just after the client has it
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (count(counter) < before + 1 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            if (count(counter) != before + 1) {
                failures.add(what + ": not counted under route=" + row.route() + " status=" + (row.status() / 100) + "xx");
            }
        }
        return failures;
    }

    private double count(String routeAndStatus) {
        Matcher m = COUNT.matcher(s.server.services().metrics().scrape());
        while (m.find()) {
            if ((m.group(1) + " " + m.group(2)).equals(routeAndStatus)) {
                return Double.parseDouble(m.group(3));
            }
        }
        return 0;
    }
}
