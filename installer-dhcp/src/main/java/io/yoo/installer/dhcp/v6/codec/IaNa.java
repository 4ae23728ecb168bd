package io.yoo.installer.dhcp.v6.codec;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Option 3, Identity Association for Non-temporary Addresses: the client's IAID, T1/T2 and the
 * addresses (option 5) in it, plus a status code (option 13) when a server reports one.
 */
public record IaNa(int iaid, long t1, long t2, List<IaAddress> addresses, Optional<StatusCode> status) {
    public IaNa {
        addresses = List.copyOf(addresses);
    }

    /** Decodes a value {@link Dhcp6Codec} already checked (lengths consistent). */
    static IaNa decodeChecked(byte[] b, int off, int len) {
        int iaid = Dhcp6Options.i32(b, off);
        long t1 = Dhcp6Options.i32(b, off + 4) & 0xFFFFFFFFL;
        long t2 = Dhcp6Options.i32(b, off + 8) & 0xFFFFFFFFL;
        Dhcp6Options sub = Dhcp6Codec.parseOptionsChecked(b, off + 12, off + len);
        List<IaAddress> addrs = new ArrayList<>(1);
        for (int i = 0; i < sub.size(); i++) {
            if (sub.code(i) == Dhcp6Option.IAADDR) {
                byte[] v = sub.value(i);
                addrs.add(new IaAddress(Ipv6.of(v, 0), Dhcp6Options.i32(v, 16) & 0xFFFFFFFFL,
                        Dhcp6Options.i32(v, 20) & 0xFFFFFFFFL, Dhcp6Codec.parseOptionsChecked(v, 24, v.length)));
            }
        }
        return new IaNa(iaid, t1, t2, addrs, sub.status());
    }

    byte[] encode() {
        Dhcp6Options.Builder sub = Dhcp6Options.builder();
        for (IaAddress a : addresses) {
            sub.put(Dhcp6Option.IAADDR, a.encode());
        }
        status.ifPresent(s -> sub.status(s.code(), s.message()));
        Dhcp6Options o = sub.build();
        byte[] b = new byte[12 + o.encodedLength()];
        putU32(b, 0, iaid & 0xFFFFFFFFL);
        putU32(b, 4, t1);
        putU32(b, 8, t2);
        o.writeTo(b, 12);
        return b;
    }

    static void putU32(byte[] b, int o, long v) {
        b[o] = (byte) (v >>> 24);
        b[o + 1] = (byte) (v >>> 16);
        b[o + 2] = (byte) (v >>> 8);
        b[o + 3] = (byte) v;
    }
}
