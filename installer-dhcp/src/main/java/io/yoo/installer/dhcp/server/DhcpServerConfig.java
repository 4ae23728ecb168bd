package io.yoo.installer.dhcp.server;

import io.yoo.installer.api.net.Ipv4;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Everything a {@link DhcpServer} needs besides its {@code BootPolicy}.
 *
 * @param mode              FULL: Yoo hands out addresses; PROXY: another server does, Yoo adds boot info
 * @param interfaces        interface names to serve (empty = every interface)
 * @param bindAddress       usually 0.0.0.0 (broadcasts only reach a socket bound to the wildcard)
 * @param serverPort        67 (ephemeral ports in tests)
 * @param clientPort        68: where broadcast replies go
 * @param proxyPort         4011 in proxy mode (0 = off): PXE clients ask it for the boot file
 * @param serverAddress     option 54 / next-server when the receiving address is unknown
 * @param subnets           served networks; the one holding giaddr, the link selection or the
 *                          receiving interface's address answers
 * @param leaseDir          where {@code leases.journal} lives; empty = leases in memory only
 * @param reserved          addresses the pool must never hand out (all reservations, fixed hosts)
 * @param ipxeNoProxyWait   full mode: send iPXE option 175/176=1 so it does not wait 2 s for ProxyDHCP
 * @param proxyFallbackAfter proxy mode: after this many PXE DISCOVERs from one machine with no
 *                          progress, answer that machine with a full offer (its reservation) —
 *                          for UEFI firmware that ignores proxy offers; 0 = never
 * @param offerHoldSeconds  how long an offered address stays promised
 * @param socketBuffer      SO_RCVBUF/SO_SNDBUF bytes (bursts of thousands of DISCOVERs)
 * @param serviceAddress    the address that moves between the servers of a pair
 *                          ({@code network.serviceAddress}): the next-server (siaddr) of a proxy
 *                          reply whose boot target names none (HTTP boot), as the policy names it
 *                          for TFTP targets; empty = the receiving address. Option 54 stays this
 *                          server's own address.
 */
public record DhcpServerConfig(
        Mode mode,
        List<String> interfaces,
        Ipv4 bindAddress,
        int serverPort,
        int clientPort,
        int proxyPort,
        Ipv4 serverAddress,
        List<DhcpSubnet> subnets,
        Optional<Path> leaseDir,
        Set<Ipv4> reserved,
        boolean ipxeNoProxyWait,
        int proxyFallbackAfter,
        int offerHoldSeconds,
        int socketBuffer,
        Optional<Ipv4> serviceAddress) {

    public enum Mode { FULL, PROXY }

    public DhcpServerConfig {
        interfaces = List.copyOf(interfaces);
        subnets = List.copyOf(subnets);
        reserved = Set.copyOf(reserved);
        if (subnets.isEmpty()) {
            throw new IllegalArgumentException("DHCP needs at least one subnet to serve");
        }
        for (int i = 0; i < subnets.size(); i++) {
            for (int j = i + 1; j < subnets.size(); j++) {
                if (subnets.get(i).cidr().overlaps(subnets.get(j).cidr())) {
                    throw new IllegalArgumentException("subnets " + subnets.get(i).cidr() + " and "
                            + subnets.get(j).cidr() + " overlap: each address must belong to one subnet");
                }
            }
        }
    }

    public static Builder builder(Ipv4 serverAddress) {
        return new Builder(serverAddress);
    }

    /** Fluent construction with the usual defaults (ports 67/68/4011, full mode). */
    public static final class Builder {
        private Mode mode = Mode.FULL;
        private final List<String> interfaces = new ArrayList<>();
        private Ipv4 bind = new Ipv4(0);
        private int serverPort = 67;
        private int clientPort = 68;
        private int proxyPort = 4011;
        private final Ipv4 serverAddress;
        private final List<DhcpSubnet> subnets = new ArrayList<>();
        private Path leaseDir;
        private Set<Ipv4> reserved = Set.of();
        private boolean ipxeNoProxyWait = true;
        private int proxyFallbackAfter = 3;
        private int offerHold = 30;
        private int socketBuffer = 4 << 20;
        private Ipv4 serviceAddress;

        Builder(Ipv4 serverAddress) {
            this.serverAddress = serverAddress;
        }

        public Builder mode(Mode m) { mode = m; return this; }
        public Builder iface(String name) { interfaces.add(name); return this; }
        public Builder bind(Ipv4 a) { bind = a; return this; }
        public Builder ports(int server, int client) { serverPort = server; clientPort = client; return this; }
        public Builder proxyPort(int p) { proxyPort = p; return this; }
        public Builder subnet(DhcpSubnet s) { subnets.add(s); return this; }
        public Builder leaseDir(Path d) { leaseDir = d; return this; }
        public Builder reserved(Set<Ipv4> r) { reserved = r; return this; }
        public Builder ipxeNoProxyWait(boolean b) { ipxeNoProxyWait = b; return this; }
        public Builder proxyFallbackAfter(int n) { proxyFallbackAfter = n; return this; }
        public Builder offerHoldSeconds(int s) { offerHold = s; return this; }
        public Builder socketBuffer(int b) { socketBuffer = b; return this; }
        public Builder serviceAddress(Ipv4 a) { serviceAddress = a; return this; }

        public DhcpServerConfig build() {
            return new DhcpServerConfig(mode, interfaces, bind, serverPort, clientPort,
                    mode == Mode.PROXY ? proxyPort : 0, serverAddress, subnets, Optional.ofNullable(leaseDir), reserved,
                    ipxeNoProxyWait, proxyFallbackAfter, offerHold, socketBuffer, Optional.ofNullable(serviceAddress));
        }
    }
}
