package io.yoo.installer.http.boot;

import io.yoo.installer.core.descriptor.Machine;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.core.discovery.EnrollmentTokens;
import io.yoo.installer.core.render.ArtifactKind;
import io.yoo.installer.core.render.Rendered;
import io.yoo.installer.core.match.MachineDirectory;
import io.yoo.installer.http.support.ClientAddress;
import io.yoo.installer.http.support.Responses;
import java.util.Optional;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /boot/by-mac/{mac}.ipxe}: a descriptor machine's iPXE script, found by its MAC (no token
 * yet), only from its reserved address; for a MAC in no descriptor the discovery script (a fresh
 * enrollment token for that MAC) when discovery is on, else the boot menu when allowUnknown is on. Answers carry iPXE text so that the machine's console says what happened.
 */
public final class ByMacEndpoint extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(ByMacEndpoint.class);
    public static final String PREFIX = "/boot/by-mac/";
    private static final String SUFFIX = ".ipxe";

    private final BootFiles files;
    private final MachineDirectory machines;
    private final ClientAccess access;
    private final EnrollmentTokens enrollment;

    /** @param enrollment issues the token a discovery script carries ({@code server.discovery}) */
    public ByMacEndpoint(BootFiles files, MachineDirectory machines, ClientAccess access, EnrollmentTokens enrollment) {
        this.files = files;
        this.machines = machines;
        this.access = access;
        this.enrollment = enrollment;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (BootFiles.refusedMethod(request, response, callback)) {
            return true;
        }
        String path = request.getHttpURI().getDecodedPath();
        if (!path.startsWith(PREFIX) || !path.endsWith(SUFFIX) || path.length() < PREFIX.length() + SUFFIX.length()) {
            return Responses.error(request, response, callback, 404, "no such boot file");
        }
        Optional<Ipv4> source = ClientAddress.of(request);
        MacAddress mac;
        try {
            mac = MacAddress.parse(path.substring(PREFIX.length(), path.length() - SUFFIX.length()));
        } catch (IllegalArgumentException e) {
            return Responses.text(response, callback, 400, "#!ipxe\necho bad MAC address\nexit 1\n");
        }
        Optional<Machine> m = machines.byMac(mac);
        if (m.isEmpty()) {
            // discovery first: with both on, a stranger is inventoried rather than offered the menu
            Optional<Rendered> discovery = files.artifacts(request).discoveryScript(mac, enrollment.issue(mac));
            if (discovery.isPresent()) {
                LOG.info("{} from {} is in no descriptor: booting discovery", mac, source.map(Ipv4::toString).orElse("?"));
                Responses.noStore(response);
                return Responses.send(response, callback, 200, discovery.get().contentType(), discovery.get().bytes());
            }
        }
        if (m.isEmpty() && files.artifacts().unknownMenu().isPresent()) {
            return files.menu(Optional.of(mac), request, response, callback);
        }
        if (m.isEmpty()) {
            LOG.info("boot script asked for unknown MAC {} from {}", mac, source.map(Ipv4::toString).orElse("?"));
            return Responses.text(response, callback, 404, "#!ipxe\necho unknown machine " + mac + "\nexit 1\n");
        }
        if (access.fromReservedAddress(m.get(), source, ClientAddress.ipv6(request)) instanceof ClientAccess.Verdict.Denied d) {
            LOG.warn("403 boot script for {} by MAC: {}", mac, d.reason());
            return Responses.text(response, callback, 403, "#!ipxe\necho forbidden\nexit 1\n");
        }
        return files.render(m.get(), ArtifactKind.IPXE, Optional.of(mac), request, response, callback);
    }

    /** Every by-MAC request is a boot script from memory. */
    public static boolean mayBlock(Request request) {
        return !request.getHttpURI().getDecodedPath().startsWith(PREFIX);
    }
}
