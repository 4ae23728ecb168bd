package io.yoo.installer.storm;

import io.yoo.installer.core.boot.BootUrls;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.dhcp.codec.DhcpOption;
import io.yoo.installer.dhcp.codec.DhcpOptions;
import io.yoo.installer.dhcp.codec.DhcpPacket;
import io.yoo.installer.dhcp.codec.MessageType;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plays one machine's whole install, as the firmware, iPXE and the install script would do it:
 * PXE DORA (arch 0, PXEClient) through the relay, TFTP of the boot file the ACK named, iPXE DORA
 * (option 77 "iPXE"), the iPXE script, live config, install script, five progress phases, then
 * "installed". Throws with the step that failed.
 */
final class MachinePlayer {
    static final String[] PHASES = {"time-sync", "fetch-config", "install-os", "kubernetes-bundle", "finalize"};
    // the per-machine URL in the iPXE script; its scheme and authority (the server that rendered the
    // script) are where the live system, the install script and the callbacks go, as on a real machine
    private static final Pattern MACHINE_URL = Pattern.compile("(https?://[^/\\s]+)?/m/([A-Za-z0-9._-]+)/([A-Za-z0-9_-]+)/");
    private static final Pattern CHAIN = Pattern.compile("(?m)^\\s*chain\\s+(?:--\\S+\\s+)*(\\S+)");

    private static final Pattern OUTCOME = Pattern.compile("\"outcome\"\\s*:\\s*\"([a-z]+)\"");

    private final RelaySocket relay;
    private final Ipv4 relayAddress;
    private final StormOptions opt;
    private final StormLedger ledger;

    MachinePlayer(RelaySocket relay, Ipv4 relayAddress, StormOptions opt, StormLedger ledger) {
        this.relay = relay;
        this.relayAddress = relayAddress;
        this.opt = opt;
        this.ledger = ledger;
    }

    /** What one machine did over its boots. */
    static final class Boots {
        int dhcpRetries;
        /** It sent "installed" (whether or not the answer came back). */
        boolean installedSent;
        /** A later boot was sent to its disk: the server had stored "installed", its answer was lost. */
        boolean fromDisk;
    }

    /**
     * Boots the machine once and runs its install; adds its DHCP retransmissions to {@code boots}.
     * A machine that sent "installed" in an earlier boot and whose PXE ACK now names no boot file
     * is installed: the server stored the report but its answer was lost (the server was killed
     * between its commit and the answer), and the firmware boots from the disk, as a real machine
     * does after its install script rebooted it.
     */
    void play(MacAddress mac, Boots boots) throws Exception {
        int[] retries = {0};
        try {
            playOnce(mac, boots, retries);
        } finally {
            boots.dhcpRetries += retries[0];
        }
    }

    private void playOnce(MacAddress mac, Boots boots, int[] retries) throws Exception {
        DhcpPacket pxeAck = dora(mac, false, retries);
        Ipv4 ip = pxeAck.yiaddr();
        InetAddress src = ip.toInetAddress();
        String bootFile = pxeAck.file().isEmpty() ? pxeAck.options().string(67).orElse("") : pxeAck.file();
        if (bootFile.isEmpty() && boots.installedSent) {
            boots.fromDisk = true;
            return;
        }
        if (bootFile.isEmpty()) {
            throw new IOException("PXE ACK for " + mac + " named no boot file");
        }
        Ipv4 next = pxeAck.siaddr().value() != 0 ? pxeAck.siaddr() : opt.server();
        long got = TftpFetch.fetch(src, new InetSocketAddress(next.toInetAddress(), opt.tftpPort()), bootFile, opt.timeoutMillis());
        if (got == 0) {
            throw new IOException("TFTP " + bootFile + " was empty");
        }
        DhcpPacket ipxeAck = dora(mac, true, retries);
        if (!ipxeAck.yiaddr().equals(ip)) {
            throw new IOException("iPXE got " + ipxeAck.yiaddr() + ", PXE got " + ip);
        }
        String url = ipxeAck.file().isEmpty() ? ipxeAck.options().string(67).orElse("") : ipxeAck.file();
        if (!url.startsWith("http://")) {
            throw new IOException("iPXE ACK named no script URL: '" + url + "'");
        }
        String base = null;
        String name = null;
        String token = null;
        for (int hop = 0; hop < 3 && name == null; hop++) {
            String script = ok(MiniHttp.get(src, url, opt.timeoutMillis()), "iPXE script " + url);
            Matcher m = MACHINE_URL.matcher(script);
            if (m.find()) {
                base = m.group(1);
                name = m.group(2);
                token = m.group(3);
            } else {
                Matcher c = CHAIN.matcher(script);
                if (!c.find()) {
                    throw new IOException("iPXE script " + url + " has neither a machine URL nor a chain");
                }
                url = c.group(1).replace("${net0/mac}", mac.toString()).replace("${mac}", mac.toString());
            }
        }
        if (name == null) {
            throw new IOException("no per-machine URL after 3 chains");
        }
        BootUrls urls = base != null ? new BootUrls(base) : BootUrls.of(opt.server(), opt.httpPort());
        ok(MiniHttp.get(src, urls.liveConfig(name, token), opt.timeoutMillis()), "live-config");
        ok(MiniHttp.get(src, urls.installScript(name, token), opt.timeoutMillis()), "install.sh");
        String callback = urls.callback(name, token);
        for (String phase : PHASES) {
            for (String status : new String[] {"started", "succeeded"}) {
                report(src, callback, name, phase, status);
            }
        }
        boots.installedSent = true;
        report(src, callback, name, "installed", "succeeded");
    }

    /** POSTs one progress event; a 2xx goes in the ledger with the outcome the server answered. */
    private void report(InetAddress src, String callback, String name, String phase, String status) throws IOException {
        String message = ledger.nextMessage();
        String body = ok(MiniHttp.postJson(src, callback, "{\"phase\":\"" + phase + "\",\"status\":\"" + status + "\",\"message\":\""
                + message + "\"}", opt.timeoutMillis()), phase + " " + status);
        Matcher m = OUTCOME.matcher(body);
        ledger.acked(name, phase, status, message, m.find() ? m.group(1) : "?");
    }

    private static String ok(MiniHttp.Response r, String what) throws IOException {
        if (r.status() / 100 != 2) {
            throw new IOException(what + ": HTTP " + r.status() + " " + r.body().strip());
        }
        return r.body();
    }

    private DhcpPacket dora(MacAddress mac, boolean ipxe, int[] retries) throws Exception {
        int xid = ThreadLocalRandom.current().nextInt();
        DhcpPacket offer = exchange(request(mac, xid, ipxe, MessageType.DISCOVER, null, null), MessageType.OFFER, retries);
        Ipv4 serverId = offer.options().ip(DhcpOption.SERVER_ID).orElse(opt.server());
        DhcpPacket ack = exchange(request(mac, xid, ipxe, MessageType.REQUEST, offer.yiaddr(), serverId), MessageType.ACK, retries);
        if (!ack.yiaddr().equals(offer.yiaddr())) {
            throw new IOException("ACK " + ack.yiaddr() + " differs from OFFER " + offer.yiaddr());
        }
        ledger.dhcpAck(mac, ack.yiaddr());
        return ack;
    }

    /**
     * Sends {@code req} and waits for {@code want}, retransmitting as the PXE specification has
     * firmware do (the schedule iPXE's config/dhcp.h quotes): a DISCOVER 4 times with timeouts of
     * 4, 8, 16 and 32 s, a REQUEST 4 times with 1, 2, 3 and 4 s (with the default
     * {@code --dhcp-timeout-ms} of 4 s), then the boot fails. A REQUEST naming a server that died
     * after its OFFER is thus given up after 10 s, and the machine boots again.
     */
    private DhcpPacket exchange(DhcpPacket req, MessageType want, int[] retries) throws Exception {
        long base = opt.dhcpTimeoutMillis();
        long[] waits = want == MessageType.OFFER ? new long[] {base, 2 * base, 4 * base, 8 * base}
                : new long[] {base / 4, base / 2, 3 * base / 4, base};
        for (long wait : waits) {
            long deadline = System.nanoTime() + wait * 1_000_000L;
            DhcpPacket reply = relay.exchange(req, Duration.ofMillis(wait));
            while (reply != null) {
                MessageType t = reply.messageType().orElse(null);
                if (t == want) {
                    return reply;
                }
                if (t == MessageType.NAK) {
                    throw new IOException("NAK for " + req.mac().orElse(null) + ": " + reply.options().string(DhcpOption.MESSAGE).orElse(""));
                }
                // a late OFFER to our retransmitted DISCOVER while we wait for the ACK: ignore it, as clients do
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                reply = left > 0 ? relay.await(req.xid(), Duration.ofMillis(left)) : null;
            }
            retries[0]++;
        }
        throw new IOException("no DHCP " + want + " for " + req.mac().orElse(null) + " after " + waits.length + " tries");
    }

    private DhcpPacket request(MacAddress mac, int xid, boolean ipxe, MessageType type, Ipv4 requested, Ipv4 serverId) {
        DhcpOptions.Builder o = DhcpOptions.builder().messageType(type)
                .u16(93, 0) // client system architecture: x86 BIOS
                .string(60, "PXEClient:Arch:00000:UNDI:002001")
                .put(DhcpOption.PARAMETER_LIST, new byte[] {1, 3, 6, 12, 15, 43, 54, 60, 66, 67, 119, (byte) 175});
        if (ipxe) {
            o.string(77, "iPXE");
        }
        if (requested != null) {
            o.ip(DhcpOption.REQUESTED_IP, requested).ip(DhcpOption.SERVER_ID, serverId);
        }
        byte[] chaddr = Arrays.copyOf(mac.toBytes(), 16);
        return new DhcpPacket(DhcpPacket.BOOTREQUEST, 1, 6, 1, xid, 0, 0, DhcpPacket.ZERO, DhcpPacket.ZERO, DhcpPacket.ZERO,
                relayAddress, chaddr, "", "", o.build());
    }
}
