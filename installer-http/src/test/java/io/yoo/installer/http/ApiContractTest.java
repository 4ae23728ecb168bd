package io.yoo.installer.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.yoo.installer.core.descriptor.Machine;
import io.yoo.installer.core.descriptor.Role;
import io.yoo.installer.core.state.EventSource;
import io.yoo.installer.core.state.EventStatus;
import io.yoo.installer.core.state.InstallPhases;
import io.yoo.installer.core.state.ProgressEvent;
import io.yoo.installer.core.state.Transition;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API's contract for a console at thousands of machines (issue #21): filters and paging on
 * the machine list, ETag/304, RFC 9457 problems, 405 with Allow, RFC 3339 times, and the
 * query-string token on the event stream only.
 */
class ApiContractTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FLEET = 5000;
    @TempDir
    Path dir;
    TestServer s;

    @AfterEach
    void stop() {
        if (s != null) {
            s.close();
        }
    }

    /** 5,000 machines: every 10th failed, every 7th a control plane, racks r0..r9; walks the pages. */
    @Test
    void filtersAndPagesAcrossFiveThousandMachines() throws Exception {
        List<Machine> fleet = new ArrayList<>();
        for (int i = 0; i < FLEET; i++) {
            fleet.add(Fixtures.machine(String.format("n%05d", i), String.format("52:54:00:%02x:%02x:%02x", i >> 16, (i >> 8) & 0xff, i & 0xff),
                    "10.1." + (i / 250) + "." + (i % 250 + 1), i % 7 == 0 ? Role.CONTROL_PLANE : Role.WORKER, Map.of("rack", "r" + (i % 10))));
        }
        s = new TestServer(dir, Function.identity(), Function.identity(), fleet);
        List<CompletableFuture<Transition>> stored = new ArrayList<>();
        for (int i = 0; i < FLEET; i += 10) {
            stored.add(s.store.recordAsync(new ProgressEvent(String.format("n%05d", i), EventSource.HTTP, InstallPhases.INSTALL_OS,
                    EventStatus.FAILED, Optional.of("disk sda missing"), Optional.empty(), Optional.empty(), Instant.now())));
        }
        CompletableFuture.allOf(stored.toArray(CompletableFuture[]::new)).join();

        JsonNode failed = JSON.readTree(s.admin("GET", "/api/v1/machines?state=failed", null).body());
        assertThat(failed).hasSize(FLEET / 10);
        failed.forEach(m -> assertThat(m.get("state").asText()).isEqualTo("failed"));
        // failed control planes in rack r0: i % 10 == 0 and i % 7 == 0 -> multiples of 70
        JsonNode cp = JSON.readTree(s.admin("GET", "/api/v1/machines?state=failed&role=control-plane&label=rack=r0", null).body());
        assertThat(cp).hasSize((FLEET + 69) / 70);
        assertThat(JSON.readTree(s.admin("GET", "/api/v1/machines?state=failed,unknown", null).body())).hasSize(FLEET);
        assertThat(JSON.readTree(s.admin("GET", "/api/v1/machines?q=N04321", null).body())).hasSize(1);
        assertThat(JSON.readTree(s.admin("GET", "/api/v1/machines?q=10.1.17.", null).body())).hasSize(250);

        // pages of 400 by name: every machine once, the last page says there is no next
        Set<String> seen = new HashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = JSON.readTree(s.admin("GET", "/api/v1/machines?limit=400" + (cursor == null ? "" : "&cursor=" + cursor), null).body());
            assertThat(page.get("items").size()).isLessThanOrEqualTo(400);
            page.get("items").forEach(m -> assertThat(seen.add(m.get("name").asText())).isTrue());
            cursor = page.get("next").isNull() ? null : page.get("next").asText();
            pages++;
        } while (cursor != null);
        assertThat(seen).hasSize(FLEET);
        assertThat(pages).isEqualTo(13);
        JsonNode firstFailed = JSON.readTree(s.admin("GET", "/api/v1/machines?state=failed&limit=2", null).body());
        assertThat(firstFailed.get("items").get(0).get("name").asText()).isEqualTo("n00000");
        assertThat(firstFailed.get("items").get(1).get("name").asText()).isEqualTo("n00010");

        problem(s.admin("GET", "/api/v1/machines?limit=0", null), 400, "limit must be a number from 1 to 1000");
        problem(s.admin("GET", "/api/v1/machines?limit=ten", null), 400, "limit");
        problem(s.admin("GET", "/api/v1/machines?cursor=***", null), 400, "cursor");
    }

    @Test
    void listsCarryAnETagAndAnswer304UntilTheyChange() throws Exception {
        s = new TestServer(dir);
        HttpResponse<String> first = s.admin("GET", "/api/v1/machines", null);
        String etag = first.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> same = send("GET", "/api/v1/machines", "If-None-Match", etag);
        assertThat(same.statusCode()).isEqualTo(304);
        assertThat(same.body()).isEmpty();
        assertThat(send("GET", "/api/v1/machines", "If-None-Match", "W/" + etag).statusCode()).isEqualTo(304);
        assertThat(send("GET", "/api/v1/machines", "If-None-Match", "\"other\"").statusCode()).isEqualTo(200);
        s.postEvent("node-a", s.tokens.tokenFor("node-a"), "{\"phase\":\"install-os\",\"status\":\"started\"}");
        HttpResponse<String> changed = send("GET", "/api/v1/machines", "If-None-Match", etag);
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(changed.headers().firstValue("ETag").orElseThrow()).isNotEqualTo(etag);
        // the filtered list has its own tag
        assertThat(s.admin("GET", "/api/v1/machines?state=installing", null).headers().firstValue("ETag").orElseThrow())
                .isNotEqualTo(changed.headers().firstValue("ETag").orElseThrow());
    }

    @Test
    void errorsAreProblemDocumentsAndAWrongMethodIs405WithAllow() throws Exception {
        s = new TestServer(dir);
        problem(s.get("/api/v1/machines"), 401, "admin token required");
        problem(s.admin("GET", "/api/v1/machines/nobody", null), 404, "no machine named 'nobody'");
        problem(s.admin("GET", "/api/v1/nothing", null), 404, "no such API");
        HttpResponse<String> post = s.admin("POST", "/api/v1/machines", null);
        problem(post, 405, "use GET");
        assertThat(post.headers().firstValue("Allow")).hasValue("GET");
        HttpResponse<String> get = s.admin("GET", "/api/v1/machines/node-a/reprovision", null);
        problem(get, 405, "use POST");
        assertThat(get.headers().firstValue("Allow")).hasValue("POST");
        HttpResponse<String> events = s.get("/api/v1/machines/node-a/events");
        problem(events, 405, "use POST");
        assertThat(events.headers().firstValue("Allow")).hasValue("POST");
        JsonNode p = JSON.readTree(s.admin("GET", "/api/v1/machines/nobody", null).body());
        assertThat(p.get("type").asText()).isEqualTo("about:blank");
        assertThat(p.get("title").asText()).isEqualTo("Not Found");
        assertThat(p.get("instance").asText()).isEqualTo("/api/v1/machines/nobody");
    }

    @Test
    void timesAreRfc3339() throws Exception {
        s = new TestServer(dir);
        s.postEvent("node-a", s.tokens.tokenFor("node-a"), "{\"phase\":\"install-os\",\"status\":\"started\"}");
        JsonNode a = JSON.readTree(s.admin("GET", "/api/v1/machines/node-a", null).body());
        for (String f : new String[] {"stateSince", "updatedAt", "attemptStartedAt"}) {
            assertThat(a.get(f).isTextual()).as(f).isTrue();
            Instant.parse(a.get(f).asText());
        }
        Instant.parse(a.get("history").get(0).get("at").asText());
        Instant.parse(JSON.readTree(s.admin("GET", "/api/v1/summary", null).body()).get("at").asText());
    }

    /** A token in a URL lands in logs: only the event stream (EventSource cannot send headers) takes one. */
    @Test
    void theQueryStringTokenIsForTheStreamOnly() throws Exception {
        s = new TestServer(dir);
        problem(s.get("/api/v1/summary?access_token=" + s.adminToken()), 401, "for /api/v1/stream only");
        problem(s.get("/api/v1/machines?access_token=" + s.adminToken()), 401, "for /api/v1/stream only");
        HttpResponse<InputStream> stream = s.client.send(HttpRequest.newBuilder(URI.create(s.base() + "/api/v1/stream?access_token="
                + s.adminToken())).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        stream.body().close();
    }

    private HttpResponse<String> send(String method, String path, String header, String value) throws Exception {
        return s.client.send(HttpRequest.newBuilder(URI.create(s.base() + path)).header("Authorization", "Bearer " + s.adminToken())
                .header(header, value).method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    static void problem(HttpResponse<String> r, int status, String detail) throws Exception {
        assertThat(r.statusCode()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        JsonNode p = JSON.readTree(r.body());
        assertThat(p.get("status").asInt()).isEqualTo(status);
        assertThat(p.get("type").asText()).isNotEmpty();
        assertThat(p.get("title").asText()).isNotEmpty();
        assertThat(p.get("detail").asText()).contains(detail);
    }
}
