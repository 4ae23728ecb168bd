package io.yoo.installer.tftp.codec;

/** A datagram that is not a valid TFTP message; {@link #field()} names the part that is wrong. */
public final class MalformedPacketException extends Exception {
    private final String field;

    public MalformedPacketException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
