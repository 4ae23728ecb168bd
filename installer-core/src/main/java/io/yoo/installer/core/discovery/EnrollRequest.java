package io.yoo.installer.core.discovery;

import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.core.descriptor.Role;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the operator decides for a discovered machine. Checked here only for the characters that
 * go into {@code enrolled.yml} (each value is written double-quoted; nothing here can break out of
 * it); the descriptor's own checks (hostname, label syntax, address in the subnet, duplicates) run
 * when the file is loaded, and their errors name the file, line and field.
 *
 * @param ip empty: {@link AddressSuggestion} picks one
 */
public record EnrollRequest(String name, Role role, Map<String, String> labels, Optional<Ipv4> ip) {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,62}");
    static final int MAX_LABELS = 32;

    public EnrollRequest {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name: a hostname of lower-case letters, digits and '-' (at most 63)");
        }
        if (role == null) {
            throw new IllegalArgumentException("role: control-plane or worker");
        }
        labels = Map.copyOf(labels);
        if (labels.size() > MAX_LABELS) {
            throw new IllegalArgumentException("labels: at most " + MAX_LABELS);
        }
        for (Map.Entry<String, String> e : labels.entrySet()) {
            if (!LABEL.matcher(e.getKey()).matches() || !LABEL.matcher(e.getValue()).matches()) {
                throw new IllegalArgumentException("labels: '" + e.getKey() + "' keys and values are letters, digits, '.', '_', '/', '-'");
            }
        }
    }
}
