package io.yoo.installer.dhcp.v6.codec;

/**
 * A decoded DHCPv6 datagram: a client/server message, or a relay message wrapping one
 * (RELAY-FORW towards the server, RELAY-REPL back), possibly several relays deep.
 */
public sealed interface Dhcp6Message {
    int type();

    Dhcp6Options options();

    /** Client/server message (RFC 8415 section 8): type, 24-bit transaction id, options. */
    record Client(int type, int transactionId, Dhcp6Options options) implements Dhcp6Message {}

    /**
     * Relay message (section 9): hop count, the link the client is on ({@code linkAddress}), the
     * address of the client or next relay ({@code peerAddress}), options (interface-id, 79...)
     * and the relayed message (option 9), decoded.
     */
    record Relay(int type, int hopCount, Ipv6 linkAddress, Ipv6 peerAddress, Dhcp6Options options, Dhcp6Message relayed)
            implements Dhcp6Message {}
}
