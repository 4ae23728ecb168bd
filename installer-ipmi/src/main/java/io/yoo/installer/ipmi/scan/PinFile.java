package io.yoo.installer.ipmi.scan;

import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.ipmi.redfish.TlsTrust;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-BMC certificate pins: one {@code ADDRESS SHA256} pair per line ({@code #} comments); the
 * fingerprint may be pasted as {@code openssl x509 -noout -fingerprint -sha256} prints it
 * ({@code sha256 Fingerprint=AB:CD:..}). Every BMC has its
 * own self-signed certificate, so one {@code --pin} cannot cover a rack.
 */
public final class PinFile {
    private PinFile() {}

    public static Map<Ipv4, TlsTrust> parse(Path file) throws IOException {
        Map<Ipv4, TlsTrust> pins = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int hash = line.indexOf('#');
            String t = (hash >= 0 ? line.substring(0, hash) : line).trim();
            if (t.isEmpty()) {
                continue;
            }
            String[] parts = t.split("\\s+");
            try {
                if (parts.length < 2) {
                    throw new IllegalArgumentException("expected 'ADDRESS SHA256'");
                }
                // also accepts openssl's own output after the address: "sha256 Fingerprint=AB:CD:.."
                String last = parts[parts.length - 1];
                String fp = last.contains("=") ? last.substring(last.indexOf('=') + 1) : last;
                if (parts.length > 2 && !last.contains("=")) {
                    throw new IllegalArgumentException("expected 'ADDRESS SHA256', got " + parts.length + " fields");
                }
                if (pins.put(Ipv4.parse(parts[0]), TlsTrust.pinned(fp)) != null) {
                    throw new IllegalArgumentException(parts[0] + " is pinned twice");
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return pins;
    }
}
