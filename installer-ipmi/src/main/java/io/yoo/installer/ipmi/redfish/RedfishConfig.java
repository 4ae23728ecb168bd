package io.yoo.installer.ipmi.redfish;

import java.net.URI;
import java.time.Duration;

/**
 * How to reach one BMC's Redfish service.
 *
 * @param base    scheme, host and port, e.g. {@code https://10.0.0.5}; the client appends /redfish/v1
 * @param auth    SESSION (POST SessionService/Sessions, X-Auth-Token; falls back to BASIC if the
 *                service has no sessions) or BASIC (HTTP basic on every request)
 */
public record RedfishConfig(URI base, String username, String password, Auth auth, TlsTrust trust, Duration timeout) {
    public enum Auth { SESSION, BASIC }

    public RedfishConfig {
        String s = base.getScheme();
        if (!"https".equals(s) && !"http".equals(s)) {
            throw new IllegalArgumentException("Redfish base URI must be http(s)://host[:port], not " + base);
        }
    }

    public static RedfishConfig of(String host, String username, String password, TlsTrust trust) {
        return new RedfishConfig(URI.create("https://" + host), username, password, Auth.SESSION, trust, Duration.ofSeconds(10));
    }

    @Override
    public String toString() {
        return "RedfishConfig[" + base + ", user=" + username + ", auth=" + auth + "]"; // never the password
    }
}
