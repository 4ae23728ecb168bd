package io.yoo.installer.ipmi.codec;

import java.io.ByteArrayOutputStream;

/** Little-endian helpers: IPMI puts multi-byte integers least significant byte first. */
final class Bytes {
    private Bytes() {}

    static int u8(byte[] b, int off) {
        return b[off] & 0xFF;
    }

    static int u16le(byte[] b, int off) {
        return (b[off] & 0xFF) | ((b[off + 1] & 0xFF) << 8);
    }

    static int i32le(byte[] b, int off) {
        return (b[off] & 0xFF) | ((b[off + 1] & 0xFF) << 8) | ((b[off + 2] & 0xFF) << 16) | ((b[off + 3] & 0xFF) << 24);
    }

    static void putI32le(ByteArrayOutputStream out, int v) {
        out.write(v);
        out.write(v >>> 8);
        out.write(v >>> 16);
        out.write(v >>> 24);
    }

    static void putU16le(ByteArrayOutputStream out, int v) {
        out.write(v);
        out.write(v >>> 8);
    }

    static void need(byte[] b, int off, int len, String what) throws IpmiCodecException {
        if (off < 0 || len < 0 || off + len > b.length) {
            throw new IpmiCodecException(what + ": truncated (need " + (off + len) + " bytes, have " + b.length + ")");
        }
    }
}
