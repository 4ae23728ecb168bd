package io.yoo.installer.storm;

import io.yoo.installer.api.net.Ipv4;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a storm did, client side, and what the server's REST API says afterwards. */
final class StormReport {
    private static final Pattern INSTALLED = Pattern.compile("\"installed\"\\s*:\\s*(\\d+)");
    private static final Pattern FAILED = Pattern.compile("\"failed\"\\s*:\\s*(\\d+)");
    final int machines;
    final int ok;
    private final List<String> failures;
    final long wallNanos;
    final long machineNanos;
    final long dhcpRetries;
    long dhcpUnmatched;
    int apiInstalled = -1;
    int apiFailed = -1;

    StormReport(int machines, int ok, List<String> failures, long wallNanos, long machineNanos, long dhcpRetries) {
        this.machines = machines;
        this.ok = ok;
        this.failures = failures;
        this.wallNanos = wallNanos;
        this.machineNanos = machineNanos;
        this.dhcpRetries = dhcpRetries;
    }

    List<String> failures() {
        return failures;
    }

    /** Asks {@code GET /api/v1/summary} how many machines are installed. */
    void verify(Ipv4 source, StormOptions opt, String adminToken) throws IOException {
        String url = "http://" + opt.server() + ":" + opt.httpPort() + "/api/v1/summary";
        MiniHttp.Response r = MiniHttp.get(InetAddress.getByAddress(source.toBytes()), url, adminToken, 30_000);
        if (r.status() != 200) {
            throw new IOException("summary: HTTP " + r.status() + " " + r.body());
        }
        Matcher m = INSTALLED.matcher(r.body());
        apiInstalled = m.find() ? Integer.parseInt(m.group(1)) : -1;
        Matcher f = FAILED.matcher(r.body());
        apiFailed = f.find() ? Integer.parseInt(f.group(1)) : -1;
    }

    boolean allInstalled(int expected) {
        return ok == expected && failures.isEmpty() && apiInstalled == expected;
    }

    String line() {
        return String.format("storm: machines=%d ok=%d failed=%d wall_s=%.2f per_machine_ms=%.1f throughput_per_s=%.1f"
                        + " dhcp_retries=%d dhcp_late=%d api_installed=%d api_failed=%d",
                machines, ok, failures.size(), wallNanos / 1e9, machineNanos / 1e6 / Math.max(1, machines),
                machines / (wallNanos / 1e9), dhcpRetries, dhcpUnmatched, apiInstalled, apiFailed);
    }
}
