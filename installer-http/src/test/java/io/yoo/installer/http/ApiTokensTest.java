package io.yoo.installer.http;

import static io.yoo.installer.http.ApiContractTest.problem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.yoo.installer.core.state.ApiTokenKind;
import io.yoo.installer.core.state.JdbcConfig;
import io.yoo.installer.http.api.ApiAccess;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Read-only and admin API tokens (stored as hashes), their refusals, and the audit log of admin actions. */
class ApiTokensTest extends TestServerCase {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aReadOnlyTokenReadsButIsRefusedAdminActions() throws Exception {
        HttpResponse<String> created = s.admin("POST", "/api/v1/tokens", "{\"name\":\"dashboard\",\"kind\":\"read-only\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        String ro = JSON.readTree(created.body()).get("token").asText();
        assertThat(ro).startsWith("yoo_").hasSizeGreaterThan(40);

        assertThat(as(ro, "GET", "/api/v1/machines", null).statusCode()).isEqualTo(200);
        assertThat(as(ro, "GET", "/api/v1/machines/node-a", null).statusCode()).isEqualTo(200);
        assertThat(as(ro, "GET", "/api/v1/summary", null).statusCode()).isEqualTo(200);
        problem(as(ro, "POST", "/api/v1/machines/node-a/reprovision", "{}"), 403, "token 'dashboard' is read-only");
        problem(as(ro, "GET", "/api/v1/machines/node-a/render/config", null), 403, "read-only"); // holds the join token
        problem(as(ro, "GET", "/api/v1/tokens", null), 403, "read-only");
        problem(as(ro, "GET", "/api/v1/audit", null), 403, "read-only");
        problem(as(ro, "POST", "/api/v1/tokens", "{\"name\":\"escalate\",\"kind\":\"admin\"}"), 403, "read-only");

        // a created admin token acts
        String adm = JSON.readTree(s.admin("POST", "/api/v1/tokens", "{\"name\":\"ops\",\"kind\":\"admin\",\"expiresIn\":\"P30D\"}").body())
                .get("token").asText();
        assertThat(as(adm, "POST", "/api/v1/machines/node-a/reprovision", "{\"reason\":\"disk\"}").statusCode()).isEqualTo(200);

        JsonNode list = JSON.readTree(s.admin("GET", "/api/v1/tokens", null).body());
        assertThat(list).hasSize(2);
        assertThat(list.get(0).get("name").asText()).isEqualTo("dashboard");
        assertThat(list.get(0).get("kind").asText()).isEqualTo("read-only");
        assertThat(list.get(0).get("expiresAt").isNull()).isTrue();
        Instant.parse(list.get(0).get("lastUsedAt").asText());
        assertThat(Instant.parse(list.get(1).get("expiresAt").asText())).isAfter(Instant.now().plusSeconds(29 * 86400));
        assertThat(list.toString()).doesNotContain(ro).doesNotContain(adm).doesNotContain(ApiAccess.sha256(ro));

        // the store holds only the hash
        try (Connection c = DriverManager.getConnection(JdbcConfig.h2File(s.stateDir).url(), JdbcConfig.h2File(s.stateDir).user(),
                JdbcConfig.h2File(s.stateDir).password()); ResultSet rs = c.createStatement().executeQuery(
                        "SELECT token_hash FROM yoo_api_token WHERE name = 'dashboard'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo(ApiAccess.sha256(ro)).isNotEqualTo(ro);
        }

        assertThat(s.admin("DELETE", "/api/v1/tokens/dashboard", null).statusCode()).isEqualTo(204);
        problem(as(ro, "GET", "/api/v1/machines", null), 401, "token required");
        problem(s.admin("POST", "/api/v1/tokens", "{\"name\":\"ops\",\"kind\":\"admin\"}"), 409, "exists");
        problem(s.admin("POST", "/api/v1/tokens", "{\"name\":\"admin-token\",\"kind\":\"admin\"}"), 400, "name");
        problem(s.admin("POST", "/api/v1/tokens", "{\"name\":\"x\",\"kind\":\"root\"}"), 400, "kind");
        problem(s.admin("POST", "/api/v1/tokens", "{\"name\":\"x\",\"kind\":\"admin\",\"expiresIn\":\"soon\"}"), 400, "expiresIn");
    }

    @Test
    void anExpiredTokenIsRefused() throws Exception {
        String token = ApiAccess.newToken();
        Instant past = Instant.now().minusSeconds(3600);
        s.store.addToken("old", ApiTokenKind.ADMIN, ApiAccess.sha256(token), past, Optional.of(past.plusSeconds(60)));
        problem(as(token, "GET", "/api/v1/summary", null), 401, "token required");
        String live = ApiAccess.newToken();
        s.store.addToken("live", ApiTokenKind.READ_ONLY, ApiAccess.sha256(live), past, Optional.of(Instant.now().plusSeconds(3600)));
        assertThat(as(live, "GET", "/api/v1/summary", null).statusCode()).isEqualTo(200);
    }

    @Test
    void everyAdminActionIsAudited() throws Exception {
        String adm = JSON.readTree(s.admin("POST", "/api/v1/tokens", "{\"name\":\"ops\",\"kind\":\"admin\"}").body()).get("token").asText();
        as(adm, "POST", "/api/v1/machines/node-b/reprovision", "{\"reason\":\"new disk\"}");
        s.admin("DELETE", "/api/v1/tokens/ops", null);
        JsonNode audit = JSON.readTree(s.admin("GET", "/api/v1/audit", null).body());
        assertThat(audit).hasSize(3);
        // newest first
        assertThat(audit.get(0).get("actor").asText()).isEqualTo("admin-token");
        assertThat(audit.get(0).get("action").asText()).isEqualTo("token.revoke");
        assertThat(audit.get(0).get("target").asText()).isEqualTo("ops");
        assertThat(audit.get(1).get("actor").asText()).isEqualTo("ops");
        assertThat(audit.get(1).get("action").asText()).isEqualTo("machine.reprovision");
        assertThat(audit.get(1).get("target").asText()).isEqualTo("node-b");
        assertThat(audit.get(1).get("detail").asText()).isEqualTo("new disk");
        assertThat(audit.get(1).get("client").asText()).isEqualTo("127.0.0.1");
        assertThat(audit.get(2).get("action").asText()).isEqualTo("token.create");
        Instant.parse(audit.get(2).get("at").asText());
        assertThat(JSON.readTree(s.admin("GET", "/api/v1/audit?limit=1", null).body())).hasSize(1);
        problem(s.admin("GET", "/api/v1/audit?limit=0", null), 400, "limit");
    }

    private HttpResponse<String> as(String token, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(s.base() + path)).header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return s.client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
