package io.yoo.installer.tftp.codec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One TFTP message (RFC 1350 plus the RFC 2347 option acknowledgement), decoded. Option names
 * are lower-cased by the decoder (RFC 2347: case-insensitive); insertion order is kept.
 */
public sealed interface TftpPacket {

    int RRQ = 1;
    int WRQ = 2;
    int DATA = 3;
    int ACK = 4;
    int ERROR = 5;
    int OACK = 6;

    int opcode();

    /** RRQ: a client asks to read {@code filename}. */
    record ReadRequest(String filename, String mode, Map<String, String> options) implements TftpPacket {
        public ReadRequest {
            options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
        }

        @Override
        public int opcode() {
            return RRQ;
        }
    }

    /** WRQ: a client asks to write; this server always refuses it. */
    record WriteRequest(String filename, String mode, Map<String, String> options) implements TftpPacket {
        public WriteRequest {
            options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
        }

        @Override
        public int opcode() {
            return WRQ;
        }
    }

    /** DATA: block number on the wire (0-65535, wraps) and its payload. */
    record Data(int block, byte[] payload) implements TftpPacket {
        @Override
        public int opcode() {
            return DATA;
        }
    }

    /** ACK of a block number as on the wire (0-65535). */
    record Ack(int block) implements TftpPacket {
        @Override
        public int opcode() {
            return ACK;
        }
    }

    /** ERROR with one of the {@link ErrorCode} values (or any other number a peer sent). */
    record Error(int code, String message) implements TftpPacket {
        @Override
        public int opcode() {
            return ERROR;
        }
    }

    /** OACK (RFC 2347): the options the server accepted, with their final values. */
    record OptionAck(Map<String, String> options) implements TftpPacket {
        public OptionAck {
            options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
        }

        @Override
        public int opcode() {
            return OACK;
        }
    }
}
