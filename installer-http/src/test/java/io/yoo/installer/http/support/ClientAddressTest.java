package io.yoo.installer.http.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** The IPv6 source as text, in RFC 5952's short form (what the descriptor and the API show). */
class ClientAddressTest {
    private static String shortForm(String literal) {
        return ClientAddress.shortForm(InetAddress.ofLiteral(literal).getAddress());
    }

    @Test
    void rfc5952ShortForm() {
        assertThat(shortForm("fd00:77:0:0:0:0:0:b1")).isEqualTo("fd00:77::b1");
        assertThat(shortForm("0:0:0:0:0:0:0:1")).isEqualTo("::1");
        assertThat(shortForm("::")).isEqualTo("::");
        assertThat(shortForm("FE80:0:0:0:5054:FF:FE77:B01")).isEqualTo("fe80::5054:ff:fe77:b01");
        // one zero group stays; of two equal runs the first is shortened
        assertThat(shortForm("2001:db8:0:1:1:1:1:1")).isEqualTo("2001:db8:0:1:1:1:1:1");
        assertThat(shortForm("2001:0:0:1:0:0:1:1")).isEqualTo("2001::1:0:0:1:1");
        assertThat(shortForm("2001:db8:0:0:1:0:0:0")).isEqualTo("2001:db8:0:0:1::");
    }
}
