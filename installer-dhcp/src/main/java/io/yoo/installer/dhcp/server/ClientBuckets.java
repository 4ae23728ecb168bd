package io.yoo.installer.dhcp.server;

import io.yoo.installer.dhcp.codec.DhcpOption;
import io.yoo.installer.dhcp.codec.DhcpPacket;
import java.util.Optional;

/**
 * The load-balancing hash of RFC 3074 ("DHC Load Balancing Algorithm"), which Kea's HA hook uses
 * in its {@code load-balancing} mode: a Pearson hash of the client's identifier into one of 256
 * buckets. The key is the client identifier (option 61's data, type byte included) when the
 * client sends one, else the hardware address ({@code chaddr}, {@code hlen} bytes) — the same key
 * as Kea, so a client lands in the same bucket whichever server computes it. Which server answers a
 * bucket is {@link ServerShare}'s business.
 */
public final class ClientBuckets {
    /** RFC 3074 section 6: a "mixing table" of the 256 values in pseudo-random order. */
    private static final int[] MIX = {
        251, 175, 119, 215, 81, 14, 79, 191, 103, 49, 181, 143, 186, 157, 0,
        232, 31, 32, 55, 60, 152, 58, 17, 237, 174, 70, 160, 144, 220, 90, 57,
        223, 59, 3, 18, 140, 111, 166, 203, 196, 134, 243, 124, 95, 222, 179,
        197, 65, 180, 48, 36, 15, 107, 46, 233, 130, 165, 30, 123, 161, 209, 23,
        97, 16, 40, 91, 219, 61, 100, 10, 210, 109, 250, 127, 22, 138, 29, 108,
        244, 67, 207, 9, 178, 204, 74, 98, 126, 249, 167, 116, 34, 77, 193,
        200, 121, 5, 20, 113, 71, 35, 128, 13, 182, 94, 25, 226, 227, 199, 75,
        27, 41, 245, 230, 224, 43, 225, 177, 26, 155, 150, 212, 142, 218, 115,
        241, 73, 88, 105, 39, 114, 62, 255, 192, 201, 145, 214, 168, 158, 221,
        148, 154, 122, 12, 84, 82, 163, 44, 139, 228, 236, 205, 242, 217, 11,
        187, 146, 159, 64, 86, 239, 195, 42, 106, 198, 118, 112, 184, 172, 87,
        2, 173, 117, 176, 229, 247, 253, 137, 185, 99, 164, 102, 147, 45, 66,
        231, 52, 141, 211, 194, 206, 246, 238, 56, 110, 78, 248, 63, 240, 189,
        93, 92, 51, 53, 183, 19, 171, 72, 50, 33, 104, 101, 69, 8, 252, 83, 120,
        76, 135, 85, 54, 202, 125, 188, 213, 96, 235, 136, 208, 162, 129, 190,
        132, 156, 38, 47, 1, 7, 254, 24, 4, 216, 131, 89, 21, 28, 133, 37, 153,
        149, 80, 170, 68, 6, 169, 234, 151,
    };

    private ClientBuckets() {}

    /** RFC 3074's hash of {@code len} bytes of {@code key} from {@code off}: a bucket, 0-255. */
    public static int bucket(byte[] key, int off, int len) {
        int hash = len & 0xFF;
        for (int i = len; i > 0;) {
            hash = MIX[hash ^ (key[off + --i] & 0xFF)];
        }
        return hash;
    }

    /** The bucket of a request: by its client identifier if it has one, else by its hardware address. */
    public static int of(DhcpPacket p) {
        Optional<byte[]> id = p.options().get(DhcpOption.CLIENT_ID);
        if (id.isPresent() && id.get().length > 0) {
            return bucket(id.get(), 0, id.get().length);
        }
        return bucket(p.chaddr(), 0, Math.min(p.hlen(), p.chaddr().length));
    }
}
