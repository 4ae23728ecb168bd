package io.yoo.installer.dhcp.peers;

import io.yoo.installer.api.lifecycle.Lifecycle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * What the test server processes ({@link TestServerMain}, {@link TestServer6Main}) share: their
 * {@code --flag value} arguments (a flag may repeat) and the lines the tests read from them
 * ({@code LEASES n}, {@code READY port}, then {@code STATS ...} every second until killed).
 */
final class TestProcessArgs {
    private final Map<String, List<String>> values = new HashMap<>();

    TestProcessArgs(String[] args) {
        for (int i = 0; i + 1 < args.length; i += 2) {
            values.computeIfAbsent(args[i], k -> new ArrayList<>()).add(args[i + 1]);
        }
    }

    boolean has(String flag) {
        return values.containsKey(flag);
    }

    /** Every value given to {@code flag}, in order (none: empty). */
    List<String> all(String flag) {
        return values.getOrDefault(flag, List.of());
    }

    /** The first value of {@code flag}, else {@code otherwise}. */
    String one(String flag, String otherwise) {
        return all(flag).stream().findFirst().orElse(otherwise);
    }

    /** Starts {@code server}, prints LEASES and READY, then its stats every second; returns only when killed. */
    static void serveForever(Lifecycle server, IntSupplier port, IntSupplier leases, Object stats) throws Exception {
        server.start();
        System.out.println("LEASES " + leases.getAsInt());
        System.out.println("READY " + port.getAsInt());
        System.out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
        while (true) {
            Thread.sleep(1000);
            System.out.println("STATS " + stats);
            System.out.flush();
        }
    }
}
