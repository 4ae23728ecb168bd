package io.yoo.installer.http.transfer;

import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** A ServerConnector whose endpoints can send file regions with sendfile ({@link SendfileEndPoint}). */
public final class SendfileConnector extends ServerConnector {
    private final LongAdder sentFromFile = new LongAdder();

    public SendfileConnector(Server server, int acceptors, int selectors, ConnectionFactory... factories) {
        super(server, acceptors, selectors, factories);
    }

    @Override
    protected SocketChannelEndPoint newEndPoint(SocketChannel channel, ManagedSelector selector, SelectionKey key) {
        SendfileEndPoint endPoint = new SendfileEndPoint(channel, selector, key, getScheduler(), sentFromFile);
        endPoint.setIdleTimeout(getIdleTimeout());
        return endPoint;
    }

    /** Body bytes sent with sendfile since start (the rest went through ordinary writes). */
    public long bytesSentFromFile() {
        return sentFromFile.sum();
    }
}
