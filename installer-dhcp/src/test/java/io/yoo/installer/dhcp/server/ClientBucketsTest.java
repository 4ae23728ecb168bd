package io.yoo.installer.dhcp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.dhcp.codec.DhcpOption;
import io.yoo.installer.dhcp.codec.DhcpOptions;
import io.yoo.installer.dhcp.codec.MessageType;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** RFC 3074's bucket hash and the share of the buckets and pool addresses each server of a pair takes. */
class ClientBucketsTest {

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    @Test
    void theHashIsRfc3074sPearsonHash() {
        // expected values from a separate implementation (Python) of RFC 3074 section 6's algorithm and table
        assertThat(ClientBuckets.bucket(hex("525400000001"), 0, 6)).isEqualTo(149);
        assertThat(ClientBuckets.bucket(hex("525400000002"), 0, 6)).isEqualTo(101);
        assertThat(ClientBuckets.bucket(hex("001122334455"), 0, 6)).isEqualTo(135);
        assertThat(ClientBuckets.bucket(hex("01525400000001"), 0, 7)).isEqualTo(28);
        // the offset is honoured: a key inside a larger buffer
        assertThat(ClientBuckets.bucket(hex("ffff525400000001ff"), 2, 6)).isEqualTo(149);
    }

    @Test
    void aRequestIsHashedByItsClientIdentifierElseItsHardwareAddress() {
        MacAddress mac = MacAddress.parse("52:54:00:00:00:01");
        assertThat(ClientBuckets.of(DhcpEngineTest.request(mac, MessageType.DISCOVER, DhcpOptions.builder()))).isEqualTo(149);
        assertThat(ClientBuckets.of(DhcpEngineTest.request(mac, MessageType.DISCOVER,
                DhcpOptions.builder().put(DhcpOption.CLIENT_ID, hex("01525400000001"))))).isEqualTo(28);
        // stable: the same client in another message, another time
        assertThat(ClientBuckets.of(DhcpEngineTest.request(mac, MessageType.REQUEST, DhcpOptions.builder()))).isEqualTo(149);
    }

    @Test
    void randomClientsSplitAboutEvenlyBetweenTwoAndThreeServers() {
        Random r = new Random(3074);
        byte[] mac = new byte[6];
        int n = 20_000;
        int[] two = new int[2];
        int[] three = new int[3];
        int[] all = new int[256];
        for (int i = 0; i < n; i++) {
            r.nextBytes(mac);
            int b = ClientBuckets.bucket(mac, 0, 6);
            all[b]++;
            for (int s = 0; s < 2; s++) {
                two[s] += new ServerShare(s, 2).answers(b) ? 1 : 0;
            }
            for (int s = 0; s < 3; s++) {
                three[s] += new ServerShare(s, 3).answers(b) ? 1 : 0;
            }
        }
        assertThat(two[0] + two[1]).as("every client is exactly one server's").isEqualTo(n);
        assertThat(three[0] + three[1] + three[2]).isEqualTo(n);
        for (int c : two) {
            assertThat(c).as("half of %d each: %s", n, Arrays.toString(two)).isBetween(n / 2 - n / 40, n / 2 + n / 40);
        }
        for (int c : three) {
            assertThat(c).as("a third each: %s", Arrays.toString(three)).isBetween(n / 3 - n / 40, n / 3 + n / 40);
        }
        for (int c : all) {
            assertThat(c).as("every bucket used").isPositive();
        }
    }

    @Test
    void aShareOwnsEveryOtherPoolAddressAndAloneEverything() {
        ServerShare first = new ServerShare(0, 2);
        ServerShare second = new ServerShare(1, 2);
        for (int ip = 0x0A4E0100; ip < 0x0A4E0110; ip++) {
            assertThat(first.owns(ip) ^ second.owns(ip)).as("address %08x is exactly one server's", ip).isTrue();
            assertThat(ServerShare.ALL.owns(ip)).isTrue();
        }
        assertThat(first.owns(0xFFFFFFFE)).as("unsigned: 255.255.255.254 is even").isTrue();
        assertThat(ServerShare.ALL.alone()).isTrue();
        assertThat(first.alone()).isFalse();
        assertThat(ServerShare.ALL.answers(149)).isTrue();
        assertThatThrownBy(() -> new ServerShare(2, 2)).isInstanceOf(IllegalArgumentException.class);
    }
}
