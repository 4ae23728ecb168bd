package io.yoo.installer.core.render;

import java.nio.charset.StandardCharsets;

/** One rendered artifact: its bytes as text, the content type to serve it with, a file name. */
public record Rendered(String fileName, String contentType, String text) {
    public byte[] bytes() {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
