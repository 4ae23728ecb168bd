package io.yoo.installer.http.discovery;

import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.core.discovery.DiscoveredMachine;
import io.yoo.installer.core.discovery.EnrollmentTokens;
import io.yoo.installer.core.match.MachineDirectory;
import io.yoo.installer.core.render.MachineArtifacts;
import io.yoo.installer.core.render.Rendered;
import io.yoo.installer.core.state.DiscoveryStore;
import io.yoo.installer.core.state.StateStoreException;
import io.yoo.installer.http.routing.NamedPathSpec;
import io.yoo.installer.http.support.Problem;
import io.yoo.installer.http.support.ClientAddress;
import io.yoo.installer.http.support.Responses;
import java.util.Optional;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * What a machine in discovery reads, with the enrollment token of its MAC in the path:
 * <ul>
 * <li>{@code GET /discovery/{mac}/{token}/live-config}: its discovery live config (Ignition or
 *     cloud-config), which the kernel line of its discovery iPXE script names;</li>
 * <li>{@code GET /discovery/{mac}/{token}/discover.sh}: the discovery script alone (what the e2e
 *     test OS runs through {@code yoo.script=}; Flatcar gets it inside the live config);</li>
 * <li>{@code GET /discovery/{mac}/{token}/status}: {@code status=WORD} and {@code token=FRESH} lines
 *     (plain text for the shell script). WORD is {@code enrolled} once the live descriptor has a
 *     machine with this MAC (the machine then reboots into the install), {@code rejected} when the
 *     operator rejected it (it powers off), {@code held} when another machine claims its MAC or
 *     UUID, else {@code waiting}. The fresh token keeps a machine that waits for days able to ask.</li>
 * </ul>
 * A forged or expired token is answered 403 (problem+json) and nothing else is said.
 */
public final class DiscoveryFilesEndpoint extends Handler.Abstract {
    public static final NamedPathSpec PATH = new NamedPathSpec("^/discovery/(?<mac>[^/]{1,40})/(?<token>[^/]{1,80})/(?<file>live-config|status|discover\\.sh)$");

    private final MachineArtifacts artifacts;
    private final MachineDirectory machines;
    private final EnrollmentTokens tokens;
    private final Optional<DiscoveryStore> store;

    public DiscoveryFilesEndpoint(MachineArtifacts artifacts, MachineDirectory machines, EnrollmentTokens tokens, Optional<DiscoveryStore> store) {
        this.artifacts = artifacts;
        this.machines = machines;
        this.tokens = tokens;
        this.store = store;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!HttpMethod.GET.is(request.getMethod())) {
            return Problem.methodNotAllowed(request, response, callback, "GET", "use GET");
        }
        if (!artifacts.discoversUnknown()) {
            return Responses.error(request, response, callback, 404, "discovery is off (server.discovery)");
        }
        MacAddress mac;
        try {
            mac = MacAddress.parse(PATH.param(request, "mac"));
        } catch (IllegalArgumentException e) {
            return Responses.error(request, response, callback, 400, "not a MAC address");
        }
        String token = PATH.param(request, "token");
        EnrollmentTokens.Verdict verdict = tokens.verify(mac, token);
        if (verdict != EnrollmentTokens.Verdict.VALID) {
            return Responses.error(request, response, callback, 403, verdict.reason());
        }
        Responses.noStore(response);
        String file = PATH.param(request, "file");
        if (!file.equals("status")) {
            // its URLs on the server's address in the family the machine asked over
            MachineArtifacts over = artifacts.over(ClientAddress.family(request));
            Optional<Rendered> r = file.equals("live-config") ? over.discoveryLiveConfig(mac, token) : over.discoveryProgram(mac, token);
            if (r.isEmpty()) {
                return Responses.error(request, response, callback, 404, "discovery is off (server.discovery)");
            }
            return Responses.send(response, callback, 200, r.get().contentType(), r.get().bytes());
        }
        String status;
        try {
            status = status(mac);
        } catch (StateStoreException e) {
            return Responses.error(request, response, callback, 503, "state store unavailable");
        }
        return Responses.text(response, callback, 200, "status=" + status + "\ntoken=" + tokens.issue(mac) + "\n");
    }

    private String status(MacAddress mac) {
        if (machines.byMac(mac).isPresent()) {
            return "enrolled";
        }
        Optional<DiscoveredMachine.Status> s = store.flatMap(x -> x.discoveredByMac(mac.toString())).map(DiscoveredMachine::status);
        return s.map(x -> switch (x) {
            case REJECTED -> "rejected";
            case HELD -> "held";
            default -> "waiting";
        }).orElse("waiting");
    }
}
