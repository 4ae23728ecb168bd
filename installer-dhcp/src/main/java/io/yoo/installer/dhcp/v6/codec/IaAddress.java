package io.yoo.installer.dhcp.v6.codec;

/**
 * Option 5 inside an IA_NA: an address and its lifetimes (seconds, unsigned 32-bit;
 * 0xFFFFFFFF = infinity). {@code options} holds its sub-options (a status code in replies).
 */
public record IaAddress(Ipv6 address, long preferred, long valid, Dhcp6Options options) {
    public IaAddress(Ipv6 address, long preferred, long valid) {
        this(address, preferred, valid, Dhcp6Options.EMPTY);
    }

    byte[] encode() {
        byte[] b = new byte[24 + options.encodedLength()];
        address.write(b, 0);
        IaNa.putU32(b, 16, preferred);
        IaNa.putU32(b, 20, valid);
        options.writeTo(b, 24);
        return b;
    }
}
