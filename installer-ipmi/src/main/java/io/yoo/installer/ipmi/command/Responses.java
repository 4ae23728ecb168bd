package io.yoo.installer.ipmi.command;

import io.yoo.installer.ipmi.codec.IpmiResponse;

/** Shared checks for command decoders. */
final class Responses {
    private Responses() {}

    static byte[] data(IpmiResponse r, String command, int minLength) throws IpmiCommandException {
        if (!r.ok()) {
            throw new IpmiCommandException(command, r.completionCode());
        }
        byte[] d = r.data();
        if (d.length < minLength) {
            throw new IpmiCommandException(command + ": answer has " + d.length + " data bytes, expected at least " + minLength);
        }
        return d;
    }
}
