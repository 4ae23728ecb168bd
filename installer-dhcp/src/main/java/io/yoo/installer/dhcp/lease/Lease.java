package io.yoo.installer.dhcp.lease;

import io.yoo.installer.api.net.Ipv4;

/**
 * A snapshot of one lease.
 *
 * @param client  client identity: {@code id:<hex of option 61>} or {@code hw:<hex of chaddr>}
 * @param mac     chaddr as hex (for people and the UI)
 * @param expires epoch seconds
 */
public record Lease(String client, String mac, Ipv4 address, long expires, State state) {
    public enum State { OFFERED, BOUND, DECLINED }
}
