package io.yoo.installer.tftp;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.tftp.codec.MalformedPacketException;
import io.yoo.installer.tftp.codec.TftpCodec;
import io.yoo.installer.tftp.codec.TftpPacket;
import io.yoo.installer.tftp.files.PathRefusedException;
import io.yoo.installer.tftp.files.RequestPath;
import io.yoo.installer.tftp.negotiation.OptionNegotiator;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Fuzzes the request parser, the path guard and negotiation. Short by default (the tries in
 * src/test/resources/junit-platform.properties); a long run: {@code -Djqwik.tries.default=1000000}.
 */
class CodecFuzzTest {

    @Property
    void anyDatagramDecodesOrIsReportedMalformed(@ForAll @Size(max = 600) byte[] datagram) {
        try {
            TftpPacket p = TftpCodec.decode(datagram);
            assertThat(p.opcode()).isBetween(1, 6);
        } catch (MalformedPacketException e) {
            assertThat(e.field()).isNotBlank();
        }
    }

    @Property
    void requestLikeDatagramsNeverEscapeTheRoot(@ForAll("requestish") byte[] datagram) {
        Path root = Path.of("/srv/tftp");
        try {
            if (TftpCodec.decode(datagram) instanceof TftpPacket.ReadRequest r) {
                List<String> segs = RequestPath.segments(r.filename());
                Path p = root;
                for (String s : segs) {
                    p = p.resolve(s);
                }
                assertThat(p.normalize().startsWith(root)).as("%s stays in the root", p).isTrue();
                assertThat(p.normalize()).isEqualTo(p);
                assertThat(segs).doesNotContain(".", "..");
                assertThat(r.filename()).doesNotContain("\\", "%", "\0").doesNotStartWith("/");
                new OptionNegotiator(1468, 64, 1000).negotiate(r.options(), 1000);
            }
        } catch (MalformedPacketException | PathRefusedException e) {
            // refused: fine
        }
    }

    @Property
    void requestsRoundTrip(@ForAll("names") String file, @ForAll("names") String optName, @ForAll("names") String optValue) throws Exception {
        TftpPacket.ReadRequest r = new TftpPacket.ReadRequest(file, "octet", Map.of(optName.toLowerCase(java.util.Locale.ROOT), optValue));
        assertThat(TftpCodec.decode(TftpCodec.encode(r))).isEqualTo(r);
    }

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.strings().withChars("abz09./-_%\\:").ofMinLength(1).ofMaxLength(40);
    }

    @Provide
    Arbitrary<byte[]> requestish() {
        Arbitrary<String> name = Arbitraries.strings().withChars("a./\\%2eE\0\u0001/").ofMinLength(0).ofMaxLength(30);
        Arbitrary<String> tail = Arbitraries.of("octet\0", "octet\0tsize\0" + "0\0", "netascii\0blksize\0" + "99999\0", "", "octet", "\0\0");
        return Arbitraries.of(1, 2).flatMap(op -> name.flatMap(n -> tail.map(t -> {
            byte[] body = (n + "\0" + t).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            byte[] out = new byte[body.length + 2];
            out[1] = (byte) (int) op;
            System.arraycopy(body, 0, out, 2, body.length);
            return out;
        })));
    }
}
