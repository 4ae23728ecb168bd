package io.yoo.installer.core.render;

import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.descriptor.DhcpMode;
import io.yoo.installer.core.descriptor.Machine;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.api.net.SmbiosUuid;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The virtual files a TFTP server serves from the descriptor rather than from disk: PXELINUX
 * configs ({@code pxelinux.cfg/01-<mac>}, {@code pxelinux.cfg/<uuid>},
 * {@code pxelinux.cfg/<IP in hex>}, {@code pxelinux.cfg/default}) and GRUB configs
 * ({@code grub/grub.cfg-01-<mac>}, {@code grub/grub.cfg-<IP in hex>}, {@code grub/grub.cfg}).
 * A boot policy calls {@link #file} from {@code BootPolicy.virtualFile}. Paths are matched
 * exactly against names built from the descriptor, so a client's path never reaches the file
 * system or a template.
 *
 * <p>A machine's own file carries its token (in the config URL on the kernel command line), so
 * {@link #file(String, Ipv4)} gives it only to the address Yoo's DHCP leases that machine (its
 * {@code ip}, with {@code dhcp: full}): PXELINUX and GRUB ask for these files after DHCP, from
 * that address. Anyone else gets "not found" and falls through to the shared menu, which holds no
 * machine token. With {@code dhcp: proxy} or {@code off} another server picks the address, so
 * there, as for HTTP, the file is served to whoever names the machine.
 */
public final class TftpBootFiles {
    private static final Logger LOG = LoggerFactory.getLogger(TftpBootFiles.class);
    private static final long REFUSAL_LOG_INTERVAL_NANOS = 10_000_000_000L;

    private final BootMenuRenderer renderer;
    private final boolean addressesAssigned;
    private final AtomicLong nextRefusalLog = new AtomicLong(System.nanoTime());
    private final AtomicLong refusalsNotLogged = new AtomicLong();
    private final Map<String, Machine> pxelinux = new HashMap<>();
    private final Map<String, Machine> grub = new HashMap<>();

    public TftpBootFiles(BootMenuRenderer renderer) {
        this.renderer = renderer;
        ClusterDescriptor d = renderer.descriptor();
        this.addressesAssigned = d.network().dhcpMode() == DhcpMode.FULL;
        for (Machine m : d.machines()) {
            for (MacAddress mac : m.macs()) {
                pxelinux.putIfAbsent("pxelinux.cfg/01-" + mac.toDashed(), m);
                grub.putIfAbsent("grub/grub.cfg-01-" + mac.toDashed(), m);
            }
            m.uuid().ifPresent(u -> {
                pxelinux.putIfAbsent("pxelinux.cfg/" + u, m);
                // PXELINUX prints the UUID as the firmware sent it: accept the swapped reading too
                SmbiosUuid swapped = u.swapped();
                pxelinux.putIfAbsent("pxelinux.cfg/" + swapped, m);
            });
            m.ipv4().ifPresent(ip -> {
                String hex = BootModel.ipHex(ip).toLowerCase(Locale.ROOT);
                pxelinux.putIfAbsent("pxelinux.cfg/" + hex, m);
                grub.putIfAbsent("grub/grub.cfg-" + hex, m);
            });
        }
    }

    /**
     * The file at {@code path} as a TFTP client at {@code client} gets it: a machine's own file
     * only from the address Yoo leases that machine (see the class comment), else empty.
     */
    public Optional<Rendered> file(String path, Ipv4 client) {
        Optional<Machine> owner = owner(path);
        // an IPv6-only machine gets no IPv4 lease: no IPv4 client may read its files
        if (owner.isPresent() && addressesAssigned && !owner.get().ipv4().map(client::equals).orElse(false)) {
            logRefusal(path, client, owner.get());
            return Optional.empty();
        }
        return file(path);
    }

    /** The machine whose own file {@code path} is, if it is one. */
    private Optional<Machine> owner(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        if (p.length() > 80) {
            return Optional.empty();
        }
        String key = p.toLowerCase(Locale.ROOT);
        return Optional.ofNullable(pxelinux.get(key)).or(() -> Optional.ofNullable(grub.get(key)));
    }

    /** At most one line per 10 s (a client can ask for every machine's name in a loop). */
    private void logRefusal(String path, Ipv4 client, Machine m) {
        long now = System.nanoTime();
        long next = nextRefusalLog.get();
        if (now - next < 0 || !nextRefusalLog.compareAndSet(next, now + REFUSAL_LOG_INTERVAL_NANOS)) {
            refusalsNotLogged.incrementAndGet();
            return;
        }
        long more = refusalsNotLogged.getAndSet(0);
        LOG.warn("TFTP {} refused to {}: it is {}'s own file (it holds its token) and {} is leased {}{}", path, client, m.name(),
                m.name(), m.ipv4().map(Object::toString).orElse("no IPv4 address (IPv6-only)"), more == 0 ? "" : " (" + more + " more refusals in the last 10 s not logged)");
    }

    /**
     * The file at {@code path} (leading '/' ignored, case-insensitive hex), or empty, whoever asks:
     * for {@code yoo render --path}; servers use {@link #file(String, Ipv4)}.
     */
    public Optional<Rendered> file(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        if (p.length() > 80) {
            return Optional.empty();
        }
        String key = p.toLowerCase(Locale.ROOT);
        if (key.equals("pxelinux.cfg/default")) {
            return Optional.of(renderer.pxelinuxMenu());
        }
        if (key.equals("grub/grub.cfg")) {
            return Optional.of(renderer.grubMain());
        }
        Machine m = pxelinux.get(key);
        if (m != null) {
            return Optional.of(renderer.pxelinux(m));
        }
        m = grub.get(key);
        if (m != null) {
            return Optional.of(renderer.grub(m));
        }
        return Optional.empty();
    }
}
