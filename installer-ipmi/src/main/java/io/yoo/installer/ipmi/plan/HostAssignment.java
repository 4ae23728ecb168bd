package io.yoo.installer.ipmi.plan;

import io.yoo.installer.api.net.Ipv4;

/** The host address and name the rule gave one BMC's machine. */
public record HostAssignment(long index, Ipv4 address, String name) {}
