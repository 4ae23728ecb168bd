package io.yoo.installer.http.boot;

import io.yoo.installer.api.boot.Sighting;
import io.yoo.installer.core.descriptor.Machine;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.core.render.ArtifactKind;
import io.yoo.installer.core.render.MachineArtifacts;
import io.yoo.installer.core.render.Rendered;
import io.yoo.installer.http.support.ClientAddress;
import io.yoo.installer.http.support.Problem;
import io.yoo.installer.http.support.Responses;
import java.util.Optional;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * What the boot endpoints share (layout in {@link io.yoo.installer.core.boot.BootUrls}): the
 * rendered files, the method rule, and the rule that a fetched boot script is a sighting (the
 * machine is booting).
 */
public final class BootFiles {
    private final MachineArtifacts artifacts;
    private final Consumer<Sighting> sightings;

    public BootFiles(MachineArtifacts artifacts, Consumer<Sighting> sightings) {
        this.artifacts = artifacts;
        this.sightings = sightings;
    }

    MachineArtifacts artifacts() {
        return artifacts;
    }

    /** The artifacts as served to this request: their URLs on the server's address in the request's family. */
    MachineArtifacts artifacts(Request request) {
        return artifacts.over(ClientAddress.family(request));
    }

    Consumer<Sighting> sightings() {
        return sightings;
    }

    /** Boot files are read with GET or HEAD: anything else is answered 405 here (true), else false. */
    static boolean refusedMethod(Request request, Response response, Callback callback) {
        String method = request.getMethod();
        if (HttpMethod.GET.is(method) || HttpMethod.HEAD.is(method)) {
            return false;
        }
        return Problem.methodNotAllowed(request, response, callback, "GET, HEAD", "only GET and HEAD");
    }

    /** The boot menu for a machine not in the descriptor (its URLs on the request's family), or 404 when they are refused. */
    boolean menu(Optional<MacAddress> mac, Request request, Response response, Callback callback) {
        Optional<Ipv4> source = ClientAddress.of(request);
        Optional<Rendered> menu = artifacts(request).unknownMenu();
        if (menu.isEmpty()) {
            return Responses.text(response, callback, 404, "#!ipxe\necho Yoo: no boot menu (allowUnknown is off)\nexit 1\n");
        }
        sightings.accept(new Sighting(Sighting.Protocol.HTTP, Optional.empty(), mac, source, "fetched the boot menu"));
        Responses.noStore(response);
        return Responses.send(response, callback, 200, menu.get().contentType(), menu.get().bytes());
    }

    /**
     * A descriptor machine's file, its URLs on the server's address in the request's family (a
     * dual-stack machine asking over IPv6 is sent on over IPv6); fetching one of its boot scripts
     * is a sighting.
     */
    boolean render(Machine m, ArtifactKind kind, Optional<MacAddress> mac, Request request, Response response, Callback callback) {
        Optional<Ipv4> source = ClientAddress.of(request);
        Optional<Rendered> r = artifacts(request).render(m.name(), kind);
        if (r.isEmpty()) {
            return Responses.error(response, callback, 404, kind.key() + " does not apply to " + m.name());
        }
        if (isScript(kind)) {
            sightings.accept(new Sighting(Sighting.Protocol.HTTP, Optional.of(m.name()), mac.or(m::primaryMac), source,
                    "fetched " + kind.key() + " script").withIpv6(ClientAddress.ipv6Text(request)));
        }
        Responses.noStore(response);
        return Responses.send(response, callback, 200, r.get().contentType(), r.get().bytes());
    }

    /**
     * The boot scripts: small, rendered once and kept, fetched by every booting machine (answered
     * on the selector thread). Configs, install scripts and kubeadm files are not.
     */
    static boolean isScript(ArtifactKind kind) {
        return kind == ArtifactKind.IPXE || kind == ArtifactKind.GRUB || kind == ArtifactKind.PXELINUX;
    }
}
