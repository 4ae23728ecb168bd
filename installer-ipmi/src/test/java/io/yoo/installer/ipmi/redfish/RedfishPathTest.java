package io.yoo.installer.ipmi.redfish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which links a BMC may make the client follow (with its credentials). */
class RedfishPathTest {
    private static final URI BASE = URI.create("https://10.11.202.5:443");

    @ParameterizedTest
    @ValueSource(strings = {"/redfish/v1", "/redfish/v1/", "/redfish/v1/Systems/437XR1138R2/EthernetInterfaces/12446A3B0411",
        "/redfish/v1/Systems/System.Embedded.1", "/redfish/v1/Managers/iDRAC.Embedded.1/EthernetInterfaces/NIC.1",
        "/redfish/v1/Systems/1/Actions/ComputerSystem.Reset", "/redfish/v1/Chassis/Blade%201", "/redfish/v1/Systems/a:b@c"})
    void sameOriginPathsAreFollowed(String link) throws Exception {
        assertThat(RedfishPath.problem(link)).isEmpty();
        URI u = RedfishPath.resolve(BASE, link);
        assertThat(u.getScheme()).isEqualTo("https");
        assertThat(u.getRawAuthority()).isEqualTo("10.11.202.5:443");
        assertThat(u.getRawPath()).isEqualTo(link);
    }

    @ParameterizedTest
    @ValueSource(strings = {"//127.0.0.20:8000/steal/nics", "https://127.0.0.20/redfish/v1", "http:/redfish/v1", "redfish/v1/Systems",
        "/redfish/v1//evil.example/x", "/redfish/v1/../../steal", "/redfish/v1/./Systems", "/redfish/v1/%2e%2e/x", "/redfish/v1/%2E./x",
        "/redfish/v1/%2f%2fevil", "/redfish/v1/%5cevil", "/redfish/v1/%00", "/redfish/v1/%zz", "/redfish/v1/%4", "/redfish/v1/%252e%252e",
        "\\\\evil\\share", "/redfish/v1\\..\\x", "/redfish/v1/Systems\r\nHost: evil", "/redfish/v1/Systems 1", "/redfish/v1/a?b=c",
        "/redfish/v1/a#frag", "/redfish/v1x", "/redfish/v10/Systems", "/redfish/v1/\u00e9", "/redfish/v1/\uff0e\uff0e", "",
        "/REDFISH/v1/Systems"})
    void anythingElseIsRefused(String link) {
        assertThat(RedfishPath.problem(link)).isPresent();
        assertThatThrownBy(() -> RedfishPath.resolve(BASE, link)).isInstanceOf(RedfishException.class)
                .hasMessageContaining("refused to follow link").hasMessageNotContaining("\r").hasMessageNotContaining("\n");
    }

    @org.junit.jupiter.api.Test
    void overlongLinksAreRefusedAndQuotedShort() {
        String link = "/redfish/v1/" + "a".repeat(RedfishPath.MAX_LENGTH);
        assertThatThrownBy(() -> RedfishPath.resolve(BASE, link)).hasMessageContaining("longer than 1024").satisfies(
                e -> assertThat(e.getMessage().length()).isLessThan(400));
    }
}
