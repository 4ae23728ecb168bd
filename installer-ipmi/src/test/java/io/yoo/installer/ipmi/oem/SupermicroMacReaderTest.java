package io.yoo.installer.ipmi.oem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.ipmi.codec.IpmiResponse;
import io.yoo.installer.ipmi.command.IpmiCommandException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Decoder only: no Supermicro BMC was available to test against (see README). */
class SupermicroMacReaderTest {
    private static IpmiResponse answer(int cc, String hex) {
        return new IpmiResponse(0x30, 0x21, 1, cc, HexFormat.of().parseHex(hex));
    }

    @Test
    void lan1MacIsTheLastSixBytes() throws Exception {
        // as `ipmitool raw 0x30 0x21` prints on X10 boards: 00 00 00 0c c4 7a 12 34 56
        assertThat(SupermicroMacReader.decode(answer(0, "0000000cc47a123456"))).containsExactly(MacAddress.parse("0c:c4:7a:12:34:56"));
        assertThat(SupermicroMacReader.decode(answer(0, "0cc47a123457"))).containsExactly(MacAddress.parse("0c:c4:7a:12:34:57"));
        assertThat(SupermicroMacReader.decode(answer(0, "000000000000"))).isEmpty();
    }

    @Test
    void refusalsAndShortAnswersAreCommandErrors() {
        assertThatThrownBy(() -> SupermicroMacReader.decode(answer(0xC1, ""))).isInstanceOf(IpmiCommandException.class)
                .hasMessageContaining("invalid command");
        assertThatThrownBy(() -> SupermicroMacReader.decode(answer(0, "0102"))).hasMessageContaining("need 6");
    }

    @Test
    void chosenByManufacturerId() {
        assertThat(OemMacReader.builtIn()).anyMatch(r -> r.supports(10876));
        assertThat(OemMacReader.builtIn()).noneMatch(r -> r.supports(4753)); // ipmi_sim's ID
    }
}
