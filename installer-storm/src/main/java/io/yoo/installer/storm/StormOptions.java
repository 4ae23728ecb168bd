package io.yoo.installer.storm;

import io.yoo.installer.api.net.Ipv4;

/** Where the server is and how patient a machine is. */
record StormOptions(Ipv4 server, int httpPort, int tftpPort, int timeoutMillis, int dhcpTimeoutMillis) {}
