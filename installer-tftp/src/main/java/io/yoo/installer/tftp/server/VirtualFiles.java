package io.yoo.installer.tftp.server;

import io.yoo.installer.api.net.Ipv4;
import java.util.Optional;

/**
 * Files that do not exist on disk but are rendered per request, e.g. a per-MAC
 * {@code pxelinux.cfg/01-52-54-00-12-34-56}. Asked before the disk, so a machine-specific
 * rendering wins over a stale file. The path has already passed the path guard (relative, no
 * dot segments, plain ASCII). Same shape as {@code BootPolicy::virtualFile}, so the CLI can pass
 * that method reference. Called on an event-loop thread: keep it fast.
 */
@FunctionalInterface
public interface VirtualFiles {

    VirtualFiles NONE = (path, client) -> Optional.empty();

    Optional<byte[]> find(String path, Ipv4 client);
}
