package io.yoo.installer.ipmi.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.yoo.installer.ipmi.codec.IpmiResponse;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Request bytes and answer decoding of the IPMI commands, from the spec's tables. */
class CommandCodecTest {
    private static final HexFormat HEX = HexFormat.of();

    private static IpmiResponse answer(int netFn, int cmd, String hex) {
        return new IpmiResponse(netFn, cmd, 1, 0, HEX.parseHex(hex));
    }

    @Test
    void bootFlagsCarryValidPersistentEfiAndDevice() throws Exception {
        // byte 1: valid(0x80) | persistent(0x40) | EFI(0x20); byte 2: device selector << 2 (PXE = 1)
        assertThat(HEX.formatHex(new BootOptions(BootOptions.BootDevice.PXE, false, true).request().data())).isEqualTo("05a0" + "04" + "000000");
        assertThat(HEX.formatHex(new BootOptions(BootOptions.BootDevice.PXE, true, false).request().data())).isEqualTo("05c0" + "04" + "000000");
        assertThat(HEX.formatHex(new BootOptions(BootOptions.BootDevice.DISK, false, false).request().data())).isEqualTo("0580" + "08" + "000000");
        assertThat(BootOptions.decode(answer(0x00, 0x09, "010560040000")))
                .isEqualTo(new BootOptions(BootOptions.BootDevice.PXE, true, true));
    }

    @Test
    void channelCapabilitiesTellIpmi20AndTheChannel() throws Exception {
        // ipmi_sim's answer: channel 1, extended caps, IPMI 2.0 supported
        ChannelAuthCapabilities c = ChannelAuthCapabilities.decode(answer(0x06, 0x38, "01973402000000" + "00"));
        assertThat(c.channel()).isEqualTo(1);
        assertThat(c.ipmi20()).isTrue();
        assertThat(ChannelAuthCapabilities.decode(answer(0x06, 0x38, "01170400000000" + "00")).ipmi20()).isFalse();
    }

    @Test
    void deviceIdDecodesManufacturerAndVersions() throws Exception {
        // ipmi_sim's bmc.emu: mc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02
        DeviceId d = DeviceId.decode(answer(0x06, 0x01, "2309" + "0808" + "02" + "9f" + "911200" + "020f"));
        assertThat(d.manufacturerId()).isEqualTo(0x1291);
        assertThat(d.productId()).isEqualTo(0xf02);
        assertThat(d.ipmiVersion()).isEqualTo("2.0");
        assertThat(d.firmware()).isEqualTo("8.08");
    }

    @Test
    void refusedOrShortAnswersAreCommandErrors() {
        assertThatThrownBy(() -> SystemGuid.decode(new IpmiResponse(0x06, 0x37, 1, 0xD4, new byte[0])))
                .isInstanceOf(IpmiCommandException.class).hasMessageContaining("insufficient privilege");
        assertThatThrownBy(() -> SystemGuid.decode(answer(0x06, 0x37, "0011"))).hasMessageContaining("expected at least 16");
        assertThatThrownBy(() -> FruCommands.decodeRead(answer(0x0A, 0x11, "0501"))).hasMessageContaining("says 5 bytes");
    }
}
