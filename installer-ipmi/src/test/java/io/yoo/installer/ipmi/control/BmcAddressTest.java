package io.yoo.installer.ipmi.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** host, host:port, [v6], [v6]:port: parsed once, used alike by IPMI and Redfish. */
class BmcAddressTest {
    @Test
    void theDocumentedFormsGiveHostAndPort() {
        assertThat(BmcAddress.parse("10.13.202.1")).isEqualTo(new BmcAddress("10.13.202.1", OptionalInt.empty()));
        assertThat(BmcAddress.parse("127.0.0.11:8443")).isEqualTo(new BmcAddress("127.0.0.11", OptionalInt.of(8443)));
        assertThat(BmcAddress.parse("bmc-5.rack1.example:623")).isEqualTo(new BmcAddress("bmc-5.rack1.example", OptionalInt.of(623)));
        assertThat(BmcAddress.parse("[fd00::5]:8443")).isEqualTo(new BmcAddress("fd00::5", OptionalInt.of(8443)));
        assertThat(BmcAddress.parse("[fd00::5]")).isEqualTo(new BmcAddress("fd00::5", OptionalInt.empty()));
        assertThat(BmcAddress.parse("fd00::5")).isEqualTo(new BmcAddress("fd00::5", OptionalInt.empty()));
    }

    @Test
    void aPortInTheAddressWinsOverTheProtocolDefault() {
        assertThat(BmcAddress.parse("127.0.0.11:8443").uri("https", 443)).hasToString("https://127.0.0.11:8443");
        assertThat(BmcAddress.parse("127.0.0.11").uri("https", 443)).hasToString("https://127.0.0.11:443");
        assertThat(BmcAddress.parse("[fd00::5]:8443").uri("https", 443)).hasToString("https://[fd00::5]:8443");
        assertThat(BmcAddress.parse("fd00::5").uri("http", 80)).hasToString("http://[fd00::5]:80");
        assertThat(BmcAddress.parse("127.0.0.11:6230").socketAddress(623).getPort()).isEqualTo(6230);
        assertThat(BmcAddress.parse("127.0.0.11").socketAddress(623).getPort()).isEqualTo(623);
        assertThat(BmcAddress.parse("[fd00::5]:6230")).hasToString("[fd00::5]:6230");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10.0.0.1:", "10.0.0.1:0", "10.0.0.1:65536", "10.0.0.1:x", "[fd00::5", "[fd00::5]x", "[evil.example]:1",
        "user@10.0.0.1", "10.0.0.1/x", "https://10.0.0.1", "10.0.0.1:443:443", "a b", "-x", "[10.0.0.1]:1", "fd00::5%eth0"})
    void anythingElseIsRefusedWithTheReason(String text) {
        assertThatThrownBy(() -> BmcAddress.parse(text)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("BMC address");
    }
}
