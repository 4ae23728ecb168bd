package io.yoo.installer.core.state;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;

/**
 * A machine event waiting for the database, with the id that makes its replay idempotent: the id
 * is stored with the event ({@code yoo_event.write_id}, unique), so an event whose commit outcome
 * was unknown when the connection broke is skipped at replay if it did commit. Encodes to one
 * {@link WriteSpool} record (a version byte, then the fields; the original time in epoch ms).
 */
record QueuedEvent(String writeId, ProgressEvent event) {
    private static final int VERSION = 1;

    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeUTF(writeId);
            out.writeLong(event.at().toEpochMilli());
            out.writeUTF(event.machine());
            out.writeUTF(event.source().key());
            out.writeUTF(event.phase());
            out.writeUTF(event.status().key());
            optional(out, event.message());
            optional(out, event.mac());
            optional(out, event.ip());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: cannot happen
        }
        return bytes.toByteArray();
    }

    /** Decodes a record; a record this version cannot read is an {@link IllegalArgumentException}. */
    static QueuedEvent decode(byte[] record) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(record))) {
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("spooled write of unknown version " + version);
            }
            String id = in.readUTF();
            Instant at = Instant.ofEpochMilli(in.readLong());
            String machine = in.readUTF();
            EventSource source = EventSource.fromKey(in.readUTF());
            String phase = in.readUTF();
            EventStatus status = EventStatus.fromKey(in.readUTF());
            Optional<String> message = optional(in);
            Optional<String> mac = optional(in);
            Optional<String> ip = optional(in);
            return new QueuedEvent(id, new ProgressEvent(machine, source, phase, status, message, mac, ip, at));
        } catch (IOException e) {
            throw new IllegalArgumentException("spooled write cut short: " + e.getMessage(), e);
        }
    }

    private static void optional(DataOutputStream out, Optional<String> v) throws IOException {
        out.writeBoolean(v.isPresent());
        if (v.isPresent()) {
            out.writeUTF(v.get());
        }
    }

    private static Optional<String> optional(DataInputStream in) throws IOException {
        return in.readBoolean() ? Optional.of(in.readUTF()) : Optional.empty();
    }
}
