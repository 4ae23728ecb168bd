package io.yoo.installer.storm;

import io.yoo.installer.dhcp.codec.DhcpCodec;
import io.yoo.installer.dhcp.codec.DhcpPacket;
import io.yoo.installer.dhcp.codec.MalformedPacketException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The generator's relay agent: one UDP socket on {@code relay:67} (like perfdhcp -l), requests go
 * unicast to each server's port 67 with giaddr = relay (a relay configured with several servers,
 * as dhcrelay A B, copies every request to each), replies come back unicast to it and are
 * handed to whoever waits for that xid. Packets are built and parsed by installer-dhcp's codec.
 */
final class RelaySocket implements AutoCloseable {
    private final DatagramChannel channel;
    private final List<InetSocketAddress> servers;
    private final ConcurrentHashMap<Integer, BlockingQueue<DhcpPacket>> waiting = new ConcurrentHashMap<>();
    private final Thread receiver;
    final LongAdder sent = new LongAdder();
    final LongAdder received = new LongAdder();
    final LongAdder unmatched = new LongAdder();
    final LongAdder malformed = new LongAdder();
    final LongAdder sendFailures = new LongAdder();

    RelaySocket(InetSocketAddress relay, List<InetSocketAddress> servers) throws IOException {
        this.servers = List.copyOf(servers);
        this.channel = DatagramChannel.open();
        channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
        channel.bind(relay);
        receiver = Thread.ofPlatform().daemon().name("storm-relay-rx").start(this::receive);
    }

    /** Sends {@code request} and waits up to {@code timeout} for a reply with its xid. */
    DhcpPacket exchange(DhcpPacket request, Duration timeout) throws IOException, InterruptedException {
        BlockingQueue<DhcpPacket> q = new ArrayBlockingQueue<>(8);
        waiting.put(request.xid(), q);
        try {
            byte[] wire = DhcpCodec.encode(request);
            for (InetSocketAddress server : servers) {
                try {
                    channel.send(ByteBuffer.wrap(wire), server);
                    sent.increment();
                } catch (IOException e) {
                    sendFailures.increment(); // e.g. a dead server's ICMP unreachable reported on this send
                }
            }
            return q.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            waiting.remove(request.xid(), q);
        }
    }

    /** Waits, without sending, for another reply with this xid (after an unwanted one). */
    DhcpPacket await(int xid, Duration timeout) throws InterruptedException {
        BlockingQueue<DhcpPacket> q = new ArrayBlockingQueue<>(8);
        waiting.put(xid, q);
        try {
            return q.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            waiting.remove(xid, q);
        }
    }

    private void receive() {
        ByteBuffer buf = ByteBuffer.allocate(DhcpCodec.MAX_LENGTH);
        while (channel.isOpen()) {
            try {
                buf.clear();
                channel.receive(buf);
                buf.flip();
                received.increment();
                DhcpPacket p = DhcpCodec.decode(buf.array(), 0, buf.limit());
                BlockingQueue<DhcpPacket> q = waiting.get(p.xid());
                if (q == null || !q.offer(p)) {
                    unmatched.increment(); // late answer to a retransmitted request
                }
            } catch (MalformedPacketException e) {
                malformed.increment();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!channel.isOpen()) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
