package io.yoo.installer.core.state;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The other DHCP servers the last probes of the install network found (the rogue-DHCP watches of
 * {@code yoo serve}: DHCPv4, and DHCPv6 with {@code network.ipv6}; each replaces only its own
 * findings), for the metrics, the admin API's summary and the UI's banner. At most
 * {@link #MAX_TRACKED} are named; more are only counted, so a segment full of forged servers
 * cannot grow the metrics' label set or the API answer.
 */
public final class ForeignDhcpServers {
    public static final int MAX_TRACKED = 8;

    /** One server: its address (option 54, else the OFFER's source), what it offered, when seen. */
    public record Server(String address, String description, Instant lastSeen) {}

    /** What the last probe found: the named servers and how many more there were. */
    public record Seen(List<Server> servers, int untracked) {
        public static final Seen NONE = new Seen(List.of(), 0);

        public int total() {
            return servers.size() + untracked;
        }
    }

    /** The DHCPv4 watch's findings, as {@link #update(List)} gives them. */
    public static final String DHCP4 = "dhcp";
    public static final String DHCP6 = "dhcp6";

    private volatile Seen current = Seen.NONE;
    private final Map<String, List<Server>> bySource = new LinkedHashMap<>(); // guarded by this
    private final List<Consumer<Seen>> listeners = new CopyOnWriteArrayList<>();

    /** Replaces the DHCPv4 watch's findings with one probe's (an empty list: none seen any more). */
    public void update(List<Server> found) {
        update(DHCP4, found);
    }

    /** Replaces what the watch {@code source} found with one probe's findings; the other watches' stay. */
    public void update(String source, List<Server> found) {
        synchronized (this) { // the listeners too: two watches' updates reach the metrics in the order they were made
            bySource.put(source, List.copyOf(found));
            List<Server> all = new ArrayList<>();
            bySource.values().forEach(all::addAll);
            Seen seen = seen(all);
            current = seen;
            listeners.forEach(l -> l.accept(seen));
        }
    }

    private static Seen seen(List<Server> found) {
        Map<String, Server> byAddress = new TreeMap<>(); // one per address, in address order
        found.forEach(s -> byAddress.putIfAbsent(s.address(), s));
        List<Server> distinct = List.copyOf(byAddress.values());
        return new Seen(List.copyOf(distinct.subList(0, Math.min(MAX_TRACKED, distinct.size()))),
                Math.max(0, distinct.size() - MAX_TRACKED));
    }

    public Seen current() {
        return current;
    }

    /** Called after every update, on the prober's thread. */
    public void addListener(Consumer<Seen> listener) {
        listeners.add(listener);
    }
}
