package io.yoo.installer.ipmi.scan;

import io.yoo.installer.ipmi.codec.CipherSuite;
import io.yoo.installer.ipmi.oem.OemMacReader;
import io.yoo.installer.ipmi.redfish.RedfishConfig;
import io.yoo.installer.ipmi.redfish.TlsTrust;
import java.time.Duration;
import java.util.List;

/**
 * How to scan.
 *
 * @param protocols     tried in order per BMC; the first that logs in answers (e.g. [REDFISH, IPMI])
 * @param concurrency   BMCs in flight at once
 * @param ipmiPort      623 normally
 * @param redfishScheme "https" normally ("http" for test servers)
 * @param redfishPort   443 normally
 */
public record ScanOptions(String username, String password, List<BmcProtocol> protocols, int concurrency,
        CipherSuite cipherSuite, int ipmiPort, Duration timeout, int retries, String redfishScheme, int redfishPort,
        RedfishConfig.Auth redfishAuth, TlsTrust trust, List<OemMacReader> oemReaders) {

    public ScanOptions {
        protocols = List.copyOf(protocols);
        oemReaders = List.copyOf(oemReaders);
        if (protocols.isEmpty()) {
            throw new IllegalArgumentException("at least one protocol (ipmi, redfish)");
        }
        if (concurrency < 1 || concurrency > 4096) {
            throw new IllegalArgumentException("concurrency " + concurrency + " is not 1-4096");
        }
    }

    /** IPMI only, suite 3, 64 at once, 1 s x 3 tries. */
    public static ScanOptions ipmi(String username, String password) {
        return new ScanOptions(username, password, List.of(BmcProtocol.IPMI), 64, CipherSuite.SUITE_3, 623, Duration.ofSeconds(1), 2,
                "https", 443, RedfishConfig.Auth.SESSION, TlsTrust.system(), OemMacReader.builtIn());
    }

    public ScanOptions withProtocols(List<BmcProtocol> p) {
        return new ScanOptions(username, password, p, concurrency, cipherSuite, ipmiPort, timeout, retries, redfishScheme, redfishPort,
                redfishAuth, trust, oemReaders);
    }

    public ScanOptions withRedfish(String scheme, int port, RedfishConfig.Auth auth, TlsTrust t) {
        return new ScanOptions(username, password, protocols, concurrency, cipherSuite, ipmiPort, timeout, retries, scheme, port, auth, t,
                oemReaders);
    }

    public ScanOptions withConcurrency(int c) {
        return new ScanOptions(username, password, protocols, c, cipherSuite, ipmiPort, timeout, retries, redfishScheme, redfishPort,
                redfishAuth, trust, oemReaders);
    }

    public ScanOptions withIpmi(CipherSuite suite, int port, Duration t, int r) {
        return new ScanOptions(username, password, protocols, concurrency, suite, port, t, r, redfishScheme, redfishPort, redfishAuth,
                trust, oemReaders);
    }

    @Override
    public String toString() {
        return "ScanOptions[user=" + username + ", protocols=" + protocols + ", concurrency=" + concurrency + "]";
    }
}
