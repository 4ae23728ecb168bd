package io.yoo.installer.dhcp.v6.server;

import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.dhcp.v6.codec.Duid;
import io.yoo.installer.dhcp.v6.codec.Ipv6;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a {@link Dhcp6Server} serves. Reservations are by DUID (option 1 bytes) or by MAC (read
 * from DUID-LL/LLT or from a relay's option 79); the IPv4 {@code BootPolicy} seam has no IPv6
 * addresses, so they live here.
 *
 * @param serverDuid   option 2 of every reply (a DUID-LL of the interface's MAC is fine)
 * @param bootServer   the address {@code BootTarget.TftpFile} targets are turned into
 *                     {@code tftp://[bootServer]/file} with; empty = no TFTP boot over IPv6
 * @param rapidCommit  answer SOLICITs carrying Rapid Commit with a committed REPLY (RFC 8415 18.3.1)
 * @param preference   option 7 in ADVERTISEs (255: clients take it at once); -1 = none
 * @param iface        interface to serve (multicast ff02::1:2 is joined there); null = none given
 */
public record Dhcp6Config(Duid serverDuid, List<Dhcp6Subnet> subnets, Map<Duid, Ipv6> byDuid, Map<MacAddress, Ipv6> byMac,
        Optional<Ipv6> bootServer, boolean rapidCommit, int preference, long offerHoldSeconds, Optional<Path> leaseDir,
        String iface, int serverPort, int clientPort) {

    public Dhcp6Config {
        subnets = List.copyOf(subnets);
        byDuid = Map.copyOf(byDuid);
        byMac = Map.copyOf(byMac);
    }

    public static Builder builder(Duid serverDuid) {
        return new Builder(serverDuid);
    }

    /** Every reserved address (never handed out from a range). */
    public boolean reserved(Ipv6 a) {
        return byDuid.containsValue(a) || byMac.containsValue(a);
    }

    public static final class Builder {
        private final Duid duid;
        private final List<Dhcp6Subnet> subnets = new ArrayList<>();
        private final Map<Duid, Ipv6> byDuid = new HashMap<>();
        private final Map<MacAddress, Ipv6> byMac = new HashMap<>();
        private Ipv6 bootServer;
        private boolean rapidCommit = true;
        private int preference = 255;
        private long offerHold = 30;
        private Path leaseDir;
        private String iface;
        private int serverPort = 547;
        private int clientPort = 546;

        private Builder(Duid duid) {
            this.duid = duid;
        }

        public Builder subnet(Dhcp6Subnet s) {
            subnets.add(s);
            return this;
        }

        public Builder reserve(Duid d, Ipv6 a) {
            byDuid.put(d, a);
            return this;
        }

        public Builder reserve(MacAddress m, Ipv6 a) {
            byMac.put(m, a);
            return this;
        }

        public Builder bootServer(Ipv6 a) {
            bootServer = a;
            return this;
        }

        public Builder rapidCommit(boolean on) {
            rapidCommit = on;
            return this;
        }

        public Builder preference(int p) {
            preference = p;
            return this;
        }

        public Builder offerHoldSeconds(long s) {
            offerHold = s;
            return this;
        }

        public Builder leaseDir(Path d) {
            leaseDir = d;
            return this;
        }

        public Builder iface(String name) {
            iface = name;
            return this;
        }

        /** Ports other than 547/546 (tests without root; perfdhcp's {@code -L}). */
        public Builder ports(int server, int client) {
            serverPort = server;
            clientPort = client;
            return this;
        }

        public Dhcp6Config build() {
            if (subnets.isEmpty()) {
                throw new IllegalArgumentException("DHCPv6: at least one subnet");
            }
            return new Dhcp6Config(duid, subnets, byDuid, byMac, Optional.ofNullable(bootServer), rapidCommit, preference,
                    offerHold, Optional.ofNullable(leaseDir), iface, serverPort, clientPort);
        }
    }
}
