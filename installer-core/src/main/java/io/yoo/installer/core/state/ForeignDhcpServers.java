package io.yoo.installer.core.state;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The other DHCP servers the last probe of the install network found (the rogue-DHCP watch of
 * {@code yoo serve}), for the metrics, the admin API's summary and the UI's banner. At most
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

    private volatile Seen current = Seen.NONE;
    private final List<Consumer<Seen>> listeners = new CopyOnWriteArrayList<>();

    /** Replaces what is known with one probe's findings (an empty list: none seen any more). */
    public void update(List<Server> found) {
        Map<String, Server> byAddress = new TreeMap<>(); // one per address, in address order
        found.forEach(s -> byAddress.putIfAbsent(s.address(), s));
        List<Server> distinct = List.copyOf(byAddress.values());
        Seen seen = new Seen(List.copyOf(distinct.subList(0, Math.min(MAX_TRACKED, distinct.size()))),
                Math.max(0, distinct.size() - MAX_TRACKED));
        current = seen;
        listeners.forEach(l -> l.accept(seen));
    }

    public Seen current() {
        return current;
    }

    /** Called after every update, on the prober's thread. */
    public void addListener(Consumer<Seen> listener) {
        listeners.add(listener);
    }
}
