package io.yoo.installer.dhcp.probe;

import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.dhcp.codec.DhcpOption;
import io.yoo.installer.dhcp.codec.DhcpPacket;
import java.util.Optional;

/**
 * One server's answer to a probe DISCOVER.
 *
 * @param source   the IP source address of the OFFER
 * @param serverId option 54 (what the server calls itself)
 * @param offered  yiaddr (0.0.0.0 for a ProxyDHCP offer)
 * @param offer    the whole decoded OFFER
 */
public record ProbeAnswer(Ipv4 source, Optional<Ipv4> serverId, Ipv4 offered, DhcpPacket offer) {

    public boolean isProxy() {
        return offered.value() == 0;
    }

    /** One line for people: who, what it offers, boot file, options. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append("server ").append(serverId.map(Ipv4::toString).orElse("?")).append(" (from ").append(source).append(")");
        sb.append(isProxy() ? " proxyDHCP" : " offers " + offered);
        offer.options().ip(DhcpOption.SUBNET_MASK).ifPresent(m -> sb.append(" mask ").append(m));
        offer.options().ip(DhcpOption.ROUTER).ifPresent(r -> sb.append(" router ").append(r));
        if (!offer.options().ips(DhcpOption.DNS).isEmpty()) {
            sb.append(" dns ").append(offer.options().ips(DhcpOption.DNS));
        }
        offer.options().u32(DhcpOption.LEASE_TIME).ifPresent(l -> sb.append(" lease ").append(Integer.toUnsignedString(l)).append("s"));
        if (offer.siaddr().value() != 0) {
            sb.append(" next-server ").append(offer.siaddr());
        }
        String file = !offer.file().isEmpty() ? offer.file() : offer.options().string(DhcpOption.BOOTFILE).orElse("");
        if (!file.isEmpty()) {
            sb.append(" file ").append(file);
        }
        sb.append(" options ").append(offer.options());
        return sb.toString();
    }
}
