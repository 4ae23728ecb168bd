package io.yoo.installer.ipmi.session;

import io.yoo.installer.ipmi.codec.CipherSuite;
import io.yoo.installer.ipmi.codec.RakpHandshake;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * How to reach one BMC over IPMI-over-LAN.
 *
 * @param timeout   wait per try for an answer
 * @param retries   extra tries after the first (each with a fresh session sequence number)
 * @param privilege RakpHandshake.PRIV_* level to run the session at (ADMINISTRATOR for chassis control)
 */
public record IpmiClientConfig(InetSocketAddress bmc, String username, String password, CipherSuite cipherSuite,
        int privilege, Duration timeout, int retries) {

    public IpmiClientConfig {
        if (retries < 0 || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive and retries >= 0");
        }
    }

    /** Port 623, cipher suite 3, administrator, 1 s timeout, 2 retries (ipmitool's defaults are similar). */
    public static IpmiClientConfig of(String host, String username, String password) {
        return new IpmiClientConfig(new InetSocketAddress(host, 623), username, password, CipherSuite.SUITE_3,
                RakpHandshake.PRIV_ADMINISTRATOR, Duration.ofSeconds(1), 2);
    }

    public IpmiClientConfig withCipherSuite(CipherSuite suite) {
        return new IpmiClientConfig(bmc, username, password, suite, privilege, timeout, retries);
    }

    public IpmiClientConfig withTimeout(Duration t, int r) {
        return new IpmiClientConfig(bmc, username, password, cipherSuite, privilege, t, r);
    }

    @Override
    public String toString() {
        return "IpmiClientConfig[" + bmc + ", user=" + username + ", suite=" + cipherSuite.id + "]"; // never the password
    }
}
