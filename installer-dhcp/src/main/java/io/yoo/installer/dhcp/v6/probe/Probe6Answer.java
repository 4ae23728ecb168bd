package io.yoo.installer.dhcp.v6.probe;

import io.yoo.installer.dhcp.v6.codec.Dhcp6Message;
import io.yoo.installer.dhcp.v6.codec.Dhcp6MessageType;
import io.yoo.installer.dhcp.v6.codec.Duid;
import io.yoo.installer.dhcp.v6.codec.IaAddress;
import io.yoo.installer.dhcp.v6.codec.IaNa;
import io.yoo.installer.dhcp.v6.codec.Ipv6;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One DHCPv6 server's answer to a probe SOLICIT.
 *
 * @param source   the IPv6 source address of the ADVERTISE (or REPLY)
 * @param serverId option 2, the server's DUID
 * @param answer   the whole decoded answer
 */
public record Probe6Answer(Ipv6 source, Optional<Duid> serverId, Dhcp6Message.Client answer) {

    public List<Ipv6> offered() {
        List<Ipv6> out = new ArrayList<>();
        for (IaNa ia : answer.options().iaNas()) {
            ia.addresses().stream().map(IaAddress::address).forEach(out::add);
        }
        return out;
    }

    /** One line for people: who, what it offers, DNS, boot file URL. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append("server ").append(serverId.map(Duid::toHex).orElse("?")).append(" (from ").append(source).append(") ")
                .append(Dhcp6MessageType.name(answer.type()));
        List<Ipv6> offered = offered();
        sb.append(offered.isEmpty() ? " offers no address" : " offers " + offered);
        if (!answer.options().dnsServers().isEmpty()) {
            sb.append(" dns ").append(answer.options().dnsServers());
        }
        answer.options().bootFileUrl().ifPresent(u -> sb.append(" boot-file-url ").append(u));
        answer.options().status().ifPresent(s -> sb.append(" status ").append(s.code()).append(' ').append(s.message()));
        return sb.toString();
    }
}
