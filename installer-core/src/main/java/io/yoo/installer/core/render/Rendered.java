package io.yoo.installer.core.render;

import java.nio.charset.StandardCharsets;

/**
 * One rendered artifact: its bytes as text, the content type to serve it with, a file name. The
 * UTF-8 bytes are encoded once (cached artifacts are served many times); treat them as read-only.
 */
public record Rendered(String fileName, String contentType, String text, byte[] bytes) {
    public Rendered(String fileName, String contentType, String text) {
        this(fileName, contentType, text, text.getBytes(StandardCharsets.UTF_8));
    }
}
