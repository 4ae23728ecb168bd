package io.yoo.installer.dhcp.codec;

/** A datagram that is not a well-formed DHCP message; the server drops and counts it. */
public final class MalformedPacketException extends Exception {
    private static final long serialVersionUID = 1L;

    public MalformedPacketException(String message) {
        super(message, null, false, false); // no stack trace: cheap on the packet path
    }
}
