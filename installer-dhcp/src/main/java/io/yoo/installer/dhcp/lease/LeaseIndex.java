package io.yoo.installer.dhcp.lease;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The in-memory half of a lease store, for the DHCPv4 {@link LeaseStore} (addresses as
 * {@code Integer}) and the DHCPv6 {@code Lease6Store} ({@code Ipv6}) alike: one mutable entry per
 * address, found by address and by client (a client holds one address; a declined address has no
 * client). Entries are updated in place on the packet path. Not thread-safe: the owning store
 * holds its lock.
 *
 * @param <A> the address type (equals/hashCode by value)
 */
public final class LeaseIndex<A> {
    /** The client of a declined address: it is held by nobody, so no client maps to it. */
    public static final String DECLINED_CLIENT = "declined";

    /** Mutable on purpose: one object per address, updated in place on the packet path. */
    public static final class Entry<A> {
        public String client;
        public String mac;
        public A ip;
        public long expires;
        public Lease.State state = Lease.State.OFFERED;
    }

    private final Map<String, Entry<A>> byClient = new HashMap<>();
    private final Map<A, Entry<A>> byAddress = new HashMap<>();

    /**
     * The entry of {@code ip}, now {@code client}'s: whoever held {@code ip} before loses it, and
     * the client's previous address (if another) is dropped. The caller sets expiry and state.
     */
    public Entry<A> put(String client, String mac, A ip) {
        Entry<A> old = byAddress.get(ip);
        if (old != null && !old.client.equals(client)) {
            byClient.remove(old.client, old);
        }
        Entry<A> prev = byClient.get(client);
        if (prev != null && !prev.ip.equals(ip)) {
            byAddress.remove(prev.ip, prev);
        }
        Entry<A> e = old != null ? old : prev != null && prev.ip.equals(ip) ? prev : new Entry<>();
        // An offer turned into a lease (or a renewal) brings equal but new client, MAC and address
        // objects: keep the ones held, which the maps' keys already are. Else every lease would be
        // held twice over in the old generation, and each renewal would leave a reference from
        // there to a young object (DHCPv6 bench: ~370 heap bytes per lease, not ~230).
        if (e.client == null || !e.client.equals(client)) {
            e.client = client;
        }
        if (e.mac == null || !e.mac.equals(mac)) {
            e.mac = mac;
        }
        if (e.ip == null || !e.ip.equals(ip)) {
            e.ip = ip;
            byAddress.put(ip, e);
        } else if (old == null) {
            byAddress.put(e.ip, e);
        }
        if (!DECLINED_CLIENT.equals(e.client)) {
            byClient.put(e.client, e);
        }
        return e;
    }

    /** Forgets {@code ip} if {@code client} holds it. */
    public void remove(A ip, String client) {
        Entry<A> e = byAddress.get(ip);
        if (e != null && e.client.equals(client)) {
            forget(e);
        }
    }

    /** Forgets {@code e} (an entry of this index). */
    public void forget(Entry<A> e) {
        byAddress.remove(e.ip, e);
        byClient.remove(e.client, e);
    }

    /** The entry of {@code ip}, or null. */
    public Entry<A> atAddress(A ip) {
        return byAddress.get(ip);
    }

    /** The entry {@code client} holds (offered, bound, expired or not), or null. */
    public Entry<A> ofClient(String client) {
        return byClient.get(client);
    }

    /** True when {@code client} may take {@code ip} now: nobody else holds it unexpired. */
    public boolean availableTo(A ip, String client, long now) {
        Entry<A> e = byAddress.get(ip);
        return e == null || e.client.equals(client) || e.expires < now;
    }

    /** Every entry (a live view: do not change the index while iterating). */
    public Collection<Entry<A>> entries() {
        return byAddress.values();
    }

    /** Addresses held (offered, bound or declined, expired or not). */
    public int size() {
        return byAddress.size();
    }

    public int count(Lease.State state) {
        int n = 0;
        for (Entry<A> e : byAddress.values()) {
            if (e.state == state) {
                n++;
            }
        }
        return n;
    }
}
