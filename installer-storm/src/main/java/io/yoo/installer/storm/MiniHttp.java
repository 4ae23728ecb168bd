package io.yoo.installer.storm;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A minimal HTTP/1.1 client on a plain NIO socket, bound to a chosen source address (the HTTP
 * server checks that per-machine URLs are fetched from the machine's reserved address, and
 * java.net.http cannot pick the source). One request per connection, like iPXE and curl in the
 * install script.
 */
final class MiniHttp {
    record Response(int status, String body) {}

    private MiniHttp() {}

    static Response get(InetAddress source, String url, int timeoutMillis) throws IOException {
        return request(source, "GET", url, null, timeoutMillis);
    }

    /** GET with {@code Authorization: Bearer} (the API takes a token in the URL on its event stream only). */
    static Response get(InetAddress source, String url, String bearer, int timeoutMillis) throws IOException {
        return request(source, "GET", url, null, bearer, timeoutMillis);
    }

    static Response postJson(InetAddress source, String url, String json, int timeoutMillis) throws IOException {
        return request(source, "POST", url, json, timeoutMillis);
    }

    static Response request(InetAddress source, String method, String url, String json, int timeoutMillis) throws IOException {
        return request(source, method, url, json, null, timeoutMillis);
    }

    static Response request(InetAddress source, String method, String url, String json, String bearer, int timeoutMillis) throws IOException {
        URI u = URI.create(url);
        int port = u.getPort() < 0 ? 80 : u.getPort();
        String target = u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
        byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
        StringBuilder req = new StringBuilder(256).append(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: ").append(u.getHost()).append(':').append(port).append("\r\n")
                .append("User-Agent: yoo-storm\r\nConnection: close\r\n");
        if (bearer != null) {
            req.append("Authorization: Bearer ").append(bearer).append("\r\n");
        }
        if (json != null) {
            req.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
        }
        req.append("\r\n");
        try (SocketChannel ch = SocketChannel.open()) {
            ch.bind(new InetSocketAddress(source, 0));
            ch.socket().connect(new InetSocketAddress(u.getHost(), port), timeoutMillis);
            ch.socket().setSoTimeout(timeoutMillis);
            // head and body in one write, so in one segment as curl sends a small POST (two writes cost a
            // syscall here and a second read and parse pass in the server)
            byte[] head = req.toString().getBytes(StandardCharsets.US_ASCII);
            ByteBuffer out = ByteBuffer.allocate(head.length + body.length).put(head).put(body).flip();
            while (out.hasRemaining()) {
                ch.write(out);
            }
            InputStream in = ch.socket().getInputStream();
            return parse(in.readAllBytes(), url);
        }
    }

    static Response parse(byte[] raw, String url) throws IOException {
        String all = new String(raw, StandardCharsets.ISO_8859_1);
        int end = all.indexOf("\r\n\r\n");
        if (end < 0 || !all.startsWith("HTTP/1.")) {
            throw new IOException(url + ": not an HTTP response (" + raw.length + " bytes)");
        }
        String head = all.substring(0, end);
        int status = Integer.parseInt(head.substring(9, 12));
        String body = all.substring(end + 4);
        if (head.toLowerCase(Locale.ROOT).contains("\r\ntransfer-encoding: chunked")) {
            body = dechunk(body);
        }
        return new Response(status, new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
    }

    private static String dechunk(String s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int pos = 0;
        while (true) {
            int eol = s.indexOf("\r\n", pos);
            if (eol < 0) {
                throw new IOException("truncated chunked body");
            }
            String sizeText = s.substring(pos, eol);
            int semi = sizeText.indexOf(';');
            int size = Integer.parseInt((semi < 0 ? sizeText : sizeText.substring(0, semi)).strip(), 16);
            if (size == 0) {
                return out.toString(StandardCharsets.ISO_8859_1);
            }
            out.writeBytes(s.substring(eol + 2, eol + 2 + size).getBytes(StandardCharsets.ISO_8859_1));
            pos = eol + 2 + size + 2;
        }
    }
}
