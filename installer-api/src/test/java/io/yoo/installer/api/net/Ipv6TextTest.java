package io.yoo.installer.api.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** RFC 5952 text, as the descriptor, the API and the DHCPv6 server show IPv6 addresses. */
class Ipv6TextTest {
    private static String format(String literal) {
        return Ipv6Text.format(InetAddress.ofLiteral(literal).getAddress());
    }

    @Test
    void longestZeroRunIsCompressed() {
        assertThat(format("fd00:77:0:0:0:0:0:b1")).isEqualTo("fd00:77::b1");
        assertThat(format("fd00:0:0:0:0:0:0:1")).isEqualTo("fd00::1");
        assertThat(format("0:0:0:0:0:0:0:1")).isEqualTo("::1");
        assertThat(format("::")).isEqualTo("::");
        assertThat(format("2001:0:0:1:0:0:0:1")).isEqualTo("2001:0:0:1::1");
        assertThat(format("2001:db8:0:0:1:0:0:0")).isEqualTo("2001:db8:0:0:1::");
    }

    @Test
    void ofEqualRunsTheFirstIsCompressed() {
        assertThat(format("2001:0:0:1:0:0:1:1")).isEqualTo("2001::1:0:0:1:1");
    }

    @Test
    void aSingleZeroGroupIsNotCompressed() {
        assertThat(format("2001:db8:0:1:1:1:1:1")).isEqualTo("2001:db8:0:1:1:1:1:1");
    }

    @Test
    void lowerCaseWithoutLeadingZeros() {
        assertThat(format("FE80:0:0:0:5054:00FF:FE77:0B01")).isEqualTo("fe80::5054:ff:fe77:b01");
    }

    @Test
    void theScopeIsDropped() throws Exception {
        Inet6Address scoped = Inet6Address.getByAddress(null, InetAddress.ofLiteral("fe80::1").getAddress(), 3);
        assertThat(scoped.getHostAddress()).endsWith("%3");
        assertThat(Ipv6Text.format(scoped)).isEqualTo("fe80::1");
    }

    @Test
    void ipv4MappedKeepsHexGroups() {
        // ofLiteral would hand back an Inet4Address, so the bytes are built by hand
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = (byte) 192;
        mapped[14] = 2;
        mapped[15] = 1;
        assertThat(Ipv6Text.format(mapped)).isEqualTo("::ffff:c000:201");
    }

    @Test
    void onlySixteenBytes() {
        assertThatThrownBy(() -> Ipv6Text.format(new byte[4])).isInstanceOf(IllegalArgumentException.class);
    }
}
