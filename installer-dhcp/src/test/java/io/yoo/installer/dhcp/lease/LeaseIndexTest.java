package io.yoo.installer.dhcp.lease;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.dhcp.lease.LeaseIndex.Entry;
import org.junit.jupiter.api.Test;

class LeaseIndexTest {
    /** An address type compared by value, as Ipv6 is: equal addresses may be distinct objects. */
    record Addr(long v) {}

    @Test
    void anOfferTurnedLeaseKeepsTheClientMacAndAddressObjectsItAlreadyHolds() {
        LeaseIndex<Addr> index = new LeaseIndex<>();
        String client = "000100012f3c4d5e525400123456/1";
        String mac = "525400123456";
        Addr ip = new Addr(7);
        Entry<Addr> offered = index.put(client, mac, ip);

        // the REQUEST's copies: equal, not the same objects
        Entry<Addr> bound = index.put(new String(client), new String(mac), new Addr(7));

        assertThat(bound).isSameAs(offered);
        assertThat(bound.client).isSameAs(client);
        assertThat(bound.mac).isSameAs(mac);
        assertThat(bound.ip).isSameAs(ip);
        assertThat(index.ofClient(client)).isSameAs(bound);
        assertThat(index.atAddress(new Addr(7))).isSameAs(bound);
        assertThat(index.size()).isEqualTo(1);
    }

    @Test
    void aNewClientOrMacOnAHeldAddressIsTakenAndTheOldClientForgotten() {
        LeaseIndex<Addr> index = new LeaseIndex<>();
        index.put("a/1", "-", new Addr(1));
        Entry<Addr> e = index.put("b/1", "525400000002", new Addr(1));

        assertThat(e.client).isEqualTo("b/1");
        assertThat(e.mac).isEqualTo("525400000002");
        assertThat(index.ofClient("a/1")).isNull();
        assertThat(index.ofClient("b/1")).isSameAs(e);

        Entry<Addr> moved = index.put("b/1", "525400000002", new Addr(2));
        assertThat(moved.ip).isEqualTo(new Addr(2));
        assertThat(index.atAddress(new Addr(1))).isNull();
        assertThat(index.atAddress(new Addr(2))).isSameAs(moved);
        assertThat(index.ofClient("b/1")).isSameAs(moved);
        assertThat(index.size()).isEqualTo(1);
    }
}
