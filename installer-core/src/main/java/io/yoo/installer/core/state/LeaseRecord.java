package io.yoo.installer.core.state;

/**
 * One DHCP lease as the state database keeps it.
 *
 * @param ip      the leased address
 * @param mac     the client's hardware address as the DHCP server reports it
 * @param client  the DHCP client identity (option 61, else the hardware address)
 * @param state   {@code bound} or {@code declined}
 * @param expires epoch seconds
 */
public record LeaseRecord(String ip, String mac, String client, String state, long expires) {}
