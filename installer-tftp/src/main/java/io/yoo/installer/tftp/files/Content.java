package io.yoo.installer.tftp.files;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * What one transfer sends: a file mapping shared with other transfers, or bytes in memory
 * (virtual files). One instance per transfer, used by one thread; {@link #release()} once.
 */
public interface Content {

    long size();

    /**
     * The bytes {@code [offset, offset+length)} as a buffer positioned on them. Mapped content
     * returns a view of the mapping (no copy); others may fill and return {@code scratch}.
     * The result is valid until the next call.
     */
    ByteBuffer read(long offset, int length, ByteBuffer scratch) throws IOException;

    void release();

    /** Content held in memory (virtual files, netascii conversions). */
    static Content ofBytes(byte[] bytes) {
        ByteBuffer view = ByteBuffer.wrap(bytes);
        return new Content() {
            @Override
            public long size() {
                return bytes.length;
            }

            @Override
            public ByteBuffer read(long offset, int length, ByteBuffer scratch) {
                view.limit((int) offset + length).position((int) offset);
                return view;
            }

            @Override
            public void release() {}
        };
    }
}
