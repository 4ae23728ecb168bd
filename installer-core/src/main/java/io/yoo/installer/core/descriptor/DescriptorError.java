package io.yoo.installer.core.descriptor;

import java.nio.file.Path;

/**
 * One mistake in a descriptor, with where it is. Lines and columns count from 1, as editors do;
 * line 0 means the file as a whole (e.g. it could not be read).
 *
 * @param field the field path, e.g. {@code machines[2].mac} or {@code network.pool}; empty when
 *              the error is about the file itself (YAML syntax, unreadable)
 */
public record DescriptorError(Path file, int line, int column, String field, String message) {

    /** {@code file:line:column: field: message}, the format compilers use, so editors can jump to it. */
    public String format() {
        StringBuilder sb = new StringBuilder().append(file);
        if (line > 0) {
            sb.append(':').append(line).append(':').append(column);
        }
        sb.append(": ");
        if (!field.isEmpty()) {
            sb.append(field).append(": ");
        }
        return sb.append(message).toString();
    }

    @Override
    public String toString() {
        return format();
    }
}
