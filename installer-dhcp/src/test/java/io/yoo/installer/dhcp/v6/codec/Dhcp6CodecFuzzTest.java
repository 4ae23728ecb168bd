package io.yoo.installer.dhcp.v6.codec;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.Optional;
import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.dhcp.codec.MalformedPacketException;
import io.yoo.installer.testsupport.Fuzz;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Fuzzing the DHCPv6 decoder with {@link Fuzz}: valid client and relay messages (UEFI and iPXE
 * SOLICITs, relayed once and eight times, a REPLY with IA_NA/status/boot options) mutated, random
 * relay-message chains, and pure noise. The properties: nothing but
 * {@link MalformedPacketException} escapes decoding, no typed accessor throws on what decoded, and
 * whatever decoded encodes to a message that decodes to the same thing.
 * {@code -Dyoo.fuzz.tries=1000000} for a long run, {@code -Dyoo.fuzz.seed=N} to replay.
 */
class Dhcp6CodecFuzzTest {
    private static final List<byte[]> SEEDS = List.of(
            Dhcp6Codec.encode(Dhcp6Messages.uefiSolicit()),
            Dhcp6Codec.encode(Dhcp6Messages.ipxeSolicit()),
            Dhcp6Codec.encode(Dhcp6Messages.relayed(Dhcp6Messages.uefiSolicit(), "fd00:98::1")),
            Dhcp6Codec.encode(Dhcp6Messages.nested(Dhcp6Messages.ipxeSolicit(), 8)),
            Dhcp6Codec.encode(new Dhcp6Message.Client(Dhcp6MessageType.REPLY, 1, Dhcp6Options.builder()
                    .iaNa(new IaNa(1, 1800, 2880, List.of(new IaAddress(Ipv6.parse("fd00::100"), 3600, 7200)),
                            Optional.of(new StatusCode(0, "ok"))))
                    .put(Dhcp6Option.SERVERID, Dhcp6Messages.CLIENT_LLT.toBytes())
                    .string(Dhcp6Option.BOOTFILE_URL, "http://[fd00::1]/boot.ipxe")
                    .strings(Dhcp6Option.BOOTFILE_PARAM, List.of("x"))
                    .ips(Dhcp6Option.DNS_SERVERS, List.of(Ipv6.parse("fd00::53"))).build())));

    private final AtomicLong inputs = new AtomicLong();
    private final AtomicLong decoded = new AtomicLong();

    @Test
    void decodingNeverThrowsAnythingButMalformedAndWhatDecodesRoundTrips() {
        Fuzz.forEach(20_000, r -> {
            byte[] input = switch (r.nextInt(8)) {
                case 0 -> Fuzz.bytes(r, 600);
                case 1 -> chain(r);
                default -> Fuzz.mutate(r, SEEDS.get(r.nextInt(SEEDS.size())));
            };
            inputs.incrementAndGet();
            Dhcp6Message m;
            try {
                m = Dhcp6Codec.decode(input);
            } catch (MalformedPacketException expected) {
                return; // dropped and counted by the server
            }
            decoded.incrementAndGet();
            exercise(m);
            assertThat(Dhcp6Codec.decode(Dhcp6Codec.encode(m))).isEqualTo(m);
        });
        System.out.println("dhcp6 codec fuzz: " + inputs + " inputs, " + decoded + " decoded, the rest rejected as malformed");
        // a fuzzer that never gets past the first checks would prove little
        assertThat(decoded.get()).isGreaterThan(inputs.get() / 5);
    }

    /**
     * Every truncation of every seed (a datagram cut short on the wire, options cut anywhere, a
     * relay's relay-message option promising more than is left) is malformed, or, cut exactly at
     * an option boundary of a client message, a shorter message that round-trips. A relayed seed
     * cut anywhere is always malformed: its relay-message option can no longer be whole.
     */
    @Test
    void everyTruncationIsMalformedOrAShorterMessageThatRoundTrips() throws Exception {
        int malformed = 0;
        for (byte[] seed : SEEDS) {
            boolean relay = seed[0] == Dhcp6MessageType.RELAY_FORW;
            for (int len = 0; len < seed.length; len++) {
                byte[] cut = Arrays.copyOf(seed, len);
                Dhcp6Message m;
                try {
                    m = Dhcp6Codec.decode(cut);
                } catch (MalformedPacketException expected) {
                    malformed++;
                    continue;
                }
                assertThat(relay).as("relayed seed cut to %d of %d bytes decoded", len, seed.length).isFalse();
                exercise(m);
                assertThat(Dhcp6Codec.decode(Dhcp6Codec.encode(m))).isEqualTo(m);
            }
        }
        assertThat(malformed).as("most cuts fall inside an option").isGreaterThan(SEEDS.stream().mapToInt(b -> b.length).sum() / 2);
    }

    /** A random chain of relay headers around a seed, sometimes deeper than the limit. */
    private static byte[] chain(SplittableRandom r) {
        Dhcp6Message m = Dhcp6Messages.ipxeSolicit();
        return Dhcp6Codec.encode(Dhcp6Messages.nested(m, r.nextInt(12)));
    }

    private static void exercise(Dhcp6Message m) {
        Dhcp6Message cur = m;
        while (cur instanceof Dhcp6Message.Relay r) {
            r.options().interfaceId();
            r.options().clientLinkLayerMac();
            cur = r.relayed();
        }
        Dhcp6Options o = cur.options();
        o.clientId().ifPresent(d -> {
            d.mac();
            d.uuid();
            d.type();
        });
        o.serverId();
        o.requested();
        o.elapsed();
        o.userClasses();
        o.vendorClasses();
        o.vendorEnterprise();
        o.clientArch();
        o.bootFileUrl();
        o.bootFileParams();
        o.status();
        o.dnsServers();
        for (IaNa ia : o.iaNas()) {
            ia.addresses().forEach(a -> a.options().status());
        }
    }
}
