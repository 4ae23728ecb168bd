package io.yoo.installer.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.yoo.installer.testsupport.Peers;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code openapi.json}: valid by the real {@code openapi-spec-validator} (PyPI; .ci/run installs it),
 * and the conventions of issue #21: an operationId on every operation (unique), every error
 * answer RFC 9457 problem+json, one {@code {name}} path parameter for machines.
 */
class OpenApiDocTest {
    private static final String DOC = "/io/yoo/installer/http/ui/openapi.json";
    @TempDir
    Path dir;

    private static byte[] doc() throws Exception {
        try (InputStream in = OpenApiDocTest.class.getResourceAsStream(DOC)) {
            return in.readAllBytes();
        }
    }

    @Test
    void theRealValidatorAcceptsIt() throws Exception {
        Peers.requireCommands("openapi-spec-validator");
        Path f = Files.write(dir.resolve("openapi.json"), doc());
        Process p = new ProcessBuilder("openapi-spec-validator", f.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("OK");
    }

    @Test
    void everyOperationHasAnIdAndEveryErrorIsAProblem() throws Exception {
        JsonNode api = new ObjectMapper().readTree(doc());
        Set<String> ids = new HashSet<>();
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : api.get("paths").properties()) {
            assertThat(path.getKey()).as("one name for the machine parameter").doesNotContain("{id}");
            for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
                String where = op.getKey() + " " + path.getKey();
                if (!op.getValue().hasNonNull("operationId") || !ids.add(op.getValue().get("operationId").asText())) {
                    wrong.add(where + ": no operationId, or one used twice");
                }
                for (Map.Entry<String, JsonNode> r : op.getValue().get("responses").properties()) {
                    JsonNode resp = r.getValue().has("$ref")
                            ? api.at("/components/responses/" + r.getValue().get("$ref").asText().substring("#/components/responses/".length()))
                            : r.getValue();
                    if (r.getKey().matches("[45]..") && path.getKey().startsWith("/api/") && !resp.at("/content").has("application/problem+json")) {
                        wrong.add(where + " " + r.getKey() + ": not application/problem+json");
                    }
                }
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(api.at("/components/schemas/Problem/required").toString()).contains("type", "title", "status");
        assertThat(api.at("/components/schemas/Machine/properties/stateSince/format").asText()).isEqualTo("date-time");
        assertThat(api.at("/paths/~1api~1v1~1machines/get/parameters").toString()).contains("\"state\"", "\"role\"", "\"label\"", "\"q\"",
                "\"limit\"", "\"cursor\"");
        assertThat(api.at("/paths/~1api~1v1~1tokens/post/operationId").asText()).isEqualTo("createToken");
    }
}
