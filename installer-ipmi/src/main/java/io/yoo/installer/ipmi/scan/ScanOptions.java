package io.yoo.installer.ipmi.scan;

import io.yoo.installer.ipmi.codec.CipherSuite;
import io.yoo.installer.ipmi.oem.OemMacReader;
import io.yoo.installer.ipmi.redfish.RedfishConfig;
import io.yoo.installer.ipmi.redfish.TlsTrust;
import java.time.Duration;
import io.yoo.installer.api.net.Ipv4;
import java.util.List;
import java.util.Map;

/**
 * How to scan.
 *
 * @param protocols     all asked per BMC, answers merged in this order (e.g. [REDFISH, IPMI])
 * @param concurrency   BMCs in flight at once
 * @param ipmiPort      623 normally
 * @param redfishScheme "https" normally ("http" for test servers)
 * @param redfishPort   443 normally
 * @param trust         TLS trust for Redfish BMCs not in {@code pins}
 * @param pins          per-BMC pinned certificates (each BMC has its own self-signed one), see {@link PinFile}
 * @param deadline      the most one BMC may take, all protocols and questions together
 *                      ({@link #DEFAULT_DEADLINE}); what is known by then is reported, the rest
 *                      is a problem on its report, and the other BMCs are not held up
 */
public record ScanOptions(String username, String password, List<BmcProtocol> protocols, int concurrency,
        CipherSuite cipherSuite, int ipmiPort, Duration timeout, int retries, String redfishScheme, int redfishPort,
        RedfishConfig.Auth redfishAuth, TlsTrust trust, List<OemMacReader> oemReaders, Map<Ipv4, TlsTrust> pins, Duration deadline) {

    /** Per-BMC deadline unless set: room for a slow Redfish service's dozen requests and an IPMI session's retries. */
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(120);

    public ScanOptions {
        protocols = List.copyOf(protocols);
        oemReaders = List.copyOf(oemReaders);
        pins = Map.copyOf(pins);
        if (protocols.isEmpty()) {
            throw new IllegalArgumentException("at least one protocol (ipmi, redfish)");
        }
        if (concurrency < 1 || concurrency > 4096) {
            throw new IllegalArgumentException("concurrency " + concurrency + " is not 1-4096");
        }
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("the per-BMC deadline must be positive");
        }
    }

    /** With the {@link #DEFAULT_DEADLINE}. */
    public ScanOptions(String username, String password, List<BmcProtocol> protocols, int concurrency, CipherSuite cipherSuite,
            int ipmiPort, Duration timeout, int retries, String redfishScheme, int redfishPort, RedfishConfig.Auth redfishAuth,
            TlsTrust trust, List<OemMacReader> oemReaders, Map<Ipv4, TlsTrust> pins) {
        this(username, password, protocols, concurrency, cipherSuite, ipmiPort, timeout, retries, redfishScheme, redfishPort, redfishAuth,
                trust, oemReaders, pins, DEFAULT_DEADLINE);
    }

    public ScanOptions withDeadline(Duration d) {
        return new ScanOptions(username, password, protocols, concurrency, cipherSuite, ipmiPort, timeout, retries, redfishScheme,
                redfishPort, redfishAuth, trust, oemReaders, pins, d);
    }

    /** IPMI only, suite 3, 64 at once, 1 s x 3 tries. */
    public static ScanOptions ipmi(String username, String password) {
        return new ScanOptions(username, password, List.of(BmcProtocol.IPMI), 64, CipherSuite.SUITE_3, 623, Duration.ofSeconds(1), 2,
                "https", 443, RedfishConfig.Auth.SESSION, TlsTrust.system(), OemMacReader.builtIn(), Map.of());
    }

    public ScanOptions withProtocols(List<BmcProtocol> p) {
        return new ScanOptions(username, password, p, concurrency, cipherSuite, ipmiPort, timeout, retries, redfishScheme, redfishPort,
                redfishAuth, trust, oemReaders, pins, deadline);
    }

    public ScanOptions withRedfish(String scheme, int port, RedfishConfig.Auth auth, TlsTrust t) {
        return new ScanOptions(username, password, protocols, concurrency, cipherSuite, ipmiPort, timeout, retries, scheme, port, auth, t,
                oemReaders, pins, deadline);
    }

    public ScanOptions withConcurrency(int c) {
        return new ScanOptions(username, password, protocols, c, cipherSuite, ipmiPort, timeout, retries, redfishScheme, redfishPort,
                redfishAuth, trust, oemReaders, pins, deadline);
    }

    public ScanOptions withIpmi(CipherSuite suite, int port, Duration t, int r) {
        return new ScanOptions(username, password, protocols, concurrency, suite, port, t, r, redfishScheme, redfishPort, redfishAuth,
                trust, oemReaders, pins, deadline);
    }

    /** The TLS trust for the Redfish BMC at {@code address}: its pin if listed, else {@link #trust}. */
    public TlsTrust trustFor(Ipv4 address) {
        return pins.getOrDefault(address, trust);
    }

    @Override
    public String toString() {
        return "ScanOptions[user=" + username + ", protocols=" + protocols + ", concurrency=" + concurrency + "]";
    }
}
