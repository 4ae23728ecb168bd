package io.yoo.installer.storm;

import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.MacAddress;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the servers told the machines, kept so a run can be checked against the store afterwards:
 * every progress event a server acknowledged (2xx) and every address a DHCP ACK handed out.
 *
 * <p>Each event carries a message unique in the run ({@link #nextMessage}), so the state machine
 * never takes one for a retried duplicate (an exact repeat is answered but not stored) and each
 * acknowledged event is exactly one {@code yoo_event} row: an acknowledged event with no row is
 * lost. {@link #write} gives them as tab-separated lines (machine, phase, status, message,
 * outcome) for PostgreSQL's {@code \copy}.
 */
final class StormLedger {
    private final AtomicLong sequence = new AtomicLong();
    private final ConcurrentLinkedQueue<String> acked = new ConcurrentLinkedQueue<>();
    private final LongAdder ackedCount = new LongAdder();
    private final ConcurrentHashMap<Ipv4, MacAddress> holders = new ConcurrentHashMap<>();
    private final LongAdder conflicts = new LongAdder();

    /** A message no other event of this run carries. */
    String nextMessage() {
        return "storm #" + sequence.incrementAndGet();
    }

    /** A server answered 2xx to this event; {@code outcome} is what its answer said (applied, recorded, ignored). */
    void acked(String machine, String phase, String status, String message, String outcome) {
        acked.add(machine + '\t' + phase + '\t' + status + '\t' + message + '\t' + outcome);
        ackedCount.increment();
    }

    /** A DHCP ACK gave {@code ip} to {@code mac}; an address ACKed to a second MAC is a conflict. */
    void dhcpAck(MacAddress mac, Ipv4 ip) {
        MacAddress first = holders.putIfAbsent(ip, mac);
        if (first != null && !first.equals(mac)) {
            conflicts.increment();
        }
    }

    long eventsAcked() {
        return ackedCount.sum();
    }

    /** Addresses the DHCP servers ACKed to more than one MAC (each second holder counts once per ACK). */
    long addressConflicts() {
        return conflicts.sum();
    }

    void write(Path file) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (String line : acked) {
                w.write(line);
                w.write('\n');
            }
        }
    }
}
