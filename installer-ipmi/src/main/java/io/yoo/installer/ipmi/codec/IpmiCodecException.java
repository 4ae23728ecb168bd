package io.yoo.installer.ipmi.codec;

/** A packet that cannot be decoded (truncated, bad checksum, bad integrity code...). Receivers drop and count it. */
public final class IpmiCodecException extends Exception {
    public IpmiCodecException(String message) {
        super(message);
    }
}
