package io.yoo.installer.tftp.files;

import java.io.ByteArrayOutputStream;

/**
 * RFC 1350 netascii conversion for the rare client that asks for it: LF becomes CR LF and a bare
 * CR becomes CR NUL. Done once per request in memory (bounded by the caller), because the
 * converted size differs from the file size and blocks can then no longer map to file offsets.
 */
public final class Netascii {
    private Netascii() {}

    public static byte[] encode(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length + in.length / 16 + 16);
        for (byte b : in) {
            if (b == '\n') {
                out.write('\r');
                out.write('\n');
            } else if (b == '\r') {
                out.write('\r');
                out.write(0);
            } else {
                out.write(b);
            }
        }
        return out.toByteArray();
    }
}
