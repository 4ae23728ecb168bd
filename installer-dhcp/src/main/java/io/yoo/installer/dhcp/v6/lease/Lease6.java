package io.yoo.installer.dhcp.v6.lease;

import io.yoo.installer.dhcp.v6.codec.Ipv6;

/**
 * A snapshot of one DHCPv6 lease (one address of one IA_NA).
 *
 * @param client  {@code <DUID hex>/<IAID>}: an IA is the unit RFC 8415 binds addresses to
 * @param mac     the client's MAC as hex when known (DUID-LL/LLT or relay option 79), else {@code -}
 * @param expires epoch seconds (end of the valid lifetime)
 */
public record Lease6(String client, String mac, Ipv6 address, long expires, State state) {
    public enum State { OFFERED, BOUND, DECLINED }
}
