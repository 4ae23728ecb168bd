package io.yoo.installer.tftp;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.testsupport.Fuzz;
import io.yoo.installer.tftp.codec.MalformedPacketException;
import io.yoo.installer.tftp.codec.TftpCodec;
import io.yoo.installer.tftp.codec.TftpPacket;
import io.yoo.installer.tftp.files.PathRefusedException;
import io.yoo.installer.tftp.files.RequestPath;
import io.yoo.installer.tftp.negotiation.OptionNegotiator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the request parser, the path guard and negotiation with {@link Fuzz}: 5000 cases per
 * property by default; a long run: {@code -Dyoo.fuzz.tries=1000000}; a failure prints the case
 * seed to replay it with {@code -Dyoo.fuzz.seed=S -Dyoo.fuzz.tries=1}.
 */
class CodecFuzzTest {
    private static final int TRIES = 5000;
    private static final String NAME_CHARS = "abz09./-_%\\:";
    private static final String REQUEST_NAME_CHARS = "a./\\%2eE\0\u0001/";
    private static final String[] SEGMENTS = {"a", "pxelinux.cfg", ".", "..", "...", ".a", "a..", "%2e%2e", "..\\..", "", "E", "\0"};
    private static final String[] REQUEST_TAILS = {"octet\0", "octet\0tsize\0" + "0\0", "netascii\0blksize\0" + "99999\0", "", "octet", "\0\0"};
    /** Well-formed packets of every opcode, mutated by {@link #datagram}. */
    private static final List<byte[]> VALID = List.of(
            TftpCodec.encode(new TftpPacket.ReadRequest("pxelinux.0", "octet", Map.of("blksize", "1468", "tsize", "0"))),
            TftpCodec.encode(new TftpPacket.WriteRequest("x", "netascii", Map.of())),
            TftpCodec.encode(new TftpPacket.Data(1, new byte[] {1, 2, 3})),
            TftpCodec.encode(new TftpPacket.Ack(65535)),
            TftpCodec.encode(new TftpPacket.Error(1, "File not found")),
            TftpCodec.encode(new TftpPacket.OptionAck(Map.of("windowsize", "16"))));

    /** Random bytes (up to 600) or a mutated valid packet. */
    static byte[] datagram(SplittableRandom r) {
        return r.nextBoolean() ? Fuzz.bytes(r, 600) : Fuzz.mutate(r, Fuzz.oneOf(r, VALID.toArray(byte[][]::new)));
    }

    @Test
    void anyDatagramDecodesOrIsReportedMalformed() {
        Fuzz.forAll(TRIES, CodecFuzzTest::datagram, datagram -> {
            try {
                TftpPacket p = TftpCodec.decode(datagram);
                assertThat(p.opcode()).isBetween(1, 6);
            } catch (MalformedPacketException e) {
                assertThat(e.field()).isNotBlank();
            }
        });
    }

    @Test
    void requestLikeDatagramsNeverEscapeTheRoot() {
        Path root = Path.of("/srv/tftp");
        Fuzz.forAll(TRIES, CodecFuzzTest::requestish, datagram -> {
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
        });
    }

    @Test
    void requestsRoundTrip() {
        Function<SplittableRandom, TftpPacket.ReadRequest> requests = r -> new TftpPacket.ReadRequest(names(r), "octet",
                Map.of(names(r).toLowerCase(Locale.ROOT), names(r)));
        Fuzz.forAll(TRIES, requests, r -> assertThat(TftpCodec.decode(TftpCodec.encode(r))).isEqualTo(r));
    }

    static String segments(SplittableRandom r) {
        StringBuilder sb = new StringBuilder(r.nextBoolean() ? "" : "/");
        for (int n = 1 + r.nextInt(4); n > 0; n--) {
            sb.append(Fuzz.oneOf(r, SEGMENTS)).append(n > 1 ? "/" : "");
        }
        return sb.toString();
    }

    static String names(SplittableRandom r) {
        return Fuzz.string(r, NAME_CHARS, 1, 40);
    }

    /**
     * RRQ/WRQ opcode, a name full of dots, slashes, escapes and NULs (random characters, or
     * traversal-prone segments joined by slashes), one of a few tails.
     */
    static byte[] requestish(SplittableRandom r) {
        int op = 1 + r.nextInt(2);
        String name = r.nextBoolean() ? Fuzz.string(r, REQUEST_NAME_CHARS, 0, 30) : segments(r);
        String tail = Fuzz.oneOf(r, REQUEST_TAILS);
        byte[] body = (name + "\0" + tail).getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[body.length + 2];
        out[1] = (byte) op;
        System.arraycopy(body, 0, out, 2, body.length);
        return out;
    }
}
