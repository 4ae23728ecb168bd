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
    private static final Pattern DONE = Pattern.compile("\"done\"\\s*:\\s*(\\d+)");
    final int machines;
    final int ok;
    private final List<String> failures;
    final long wallNanos;
    final long machineNanos;
    final long dhcpRetries;
    long dhcpUnmatched;
    long reboots;
    /** Machines whose "installed" answer was lost and whose next boot went to the disk (state rebooting, not installed). */
    long fromDisk;
    long eventsAcked;
    long addressConflicts;
    /** Machines the API said were done before this run (other slices of the descriptor). */
    int apiDoneBefore;
    int apiDone = -1;
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

    /** How many machines the API counts as installed, as done (installed, rebooting, running) and as failed. */
    record Summary(int installed, int done, int failed) {}

    /** Asks {@code GET /api/v1/summary} of the first of {@code servers} that answers how many machines are installed. */
    void verify(Ipv4 source, List<Ipv4> servers, int httpPort, String adminToken) throws IOException {
        Summary s = summary(source, servers, httpPort, adminToken);
        apiInstalled = s.installed();
        apiDone = s.done();
        apiFailed = s.failed();
    }

    static Summary summary(Ipv4 source, List<Ipv4> servers, int httpPort, String adminToken) throws IOException {
        MiniHttp.Response r = null;
        IOException last = null;
        for (Ipv4 server : servers) {
            try {
                r = MiniHttp.get(InetAddress.getByAddress(source.toBytes()), "http://" + server + ":" + httpPort + "/api/v1/summary", adminToken, 30_000);
                break;
            } catch (IOException e) {
                last = e; // that server is down: ask the next
            }
        }
        if (r == null) {
            throw last;
        }
        if (r.status() != 200) {
            throw new IOException("summary: HTTP " + r.status() + " " + r.body());
        }
        Matcher m = INSTALLED.matcher(r.body());
        Matcher d = DONE.matcher(r.body());
        Matcher f = FAILED.matcher(r.body());
        return new Summary(m.find() ? Integer.parseInt(m.group(1)) : -1, d.find() ? Integer.parseInt(d.group(1)) : -1,
                f.find() ? Integer.parseInt(f.group(1)) : -1);
    }

    /**
     * Every machine played got through, and the API counts them (plus those done before) as done:
     * installed, or rebooting when the answer to "installed" was lost and the machine booted
     * again (from disk), as a real one does.
     */
    boolean allInstalled(int expected) {
        return ok == expected && failures.isEmpty() && apiDone == apiDoneBefore + expected;
    }

    String line() {
        return String.format("storm: machines=%d ok=%d failed=%d wall_s=%.2f per_machine_ms=%.1f throughput_per_s=%.1f"
                        + " dhcp_retries=%d dhcp_late=%d reboots=%d from_disk=%d events_acked=%d address_conflicts=%d api_installed=%d api_done=%d api_failed=%d",
                machines, ok, failures.size(), wallNanos / 1e9, machineNanos / 1e6 / Math.max(1, machines),
                machines / (wallNanos / 1e9), dhcpRetries, dhcpUnmatched, reboots, fromDisk, eventsAcked, addressConflicts, apiInstalled, apiDone, apiFailed);
    }
}
