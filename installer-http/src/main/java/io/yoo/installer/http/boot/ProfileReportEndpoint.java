package io.yoo.installer.http.boot;

import com.fasterxml.jackson.databind.JsonNode;
import io.yoo.installer.api.boot.Sighting;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.core.render.MenuProfile;
import io.yoo.installer.http.routing.NamedPathSpec;
import io.yoo.installer.http.support.BoundedBody;
import io.yoo.installer.http.support.ClientAddress;
import io.yoo.installer.http.support.Problem;
import io.yoo.installer.http.support.Responses;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /profiles/{profile}/report}: a machine that is not in the descriptor booted a
 * boot-menu entry and says so (the live config's report unit, or the e2e test OS's callback).
 * It has no token, so nothing it says is trusted: the body (at most {@value #MAX_BODY} bytes,
 * a JSON object) only contributes a MAC that must parse as one; the answer reveals nothing.
 * The point is the log line that tells the operator which MAC to add to the descriptor. Log
 * lines are bounded ({@value #LINES_PER_MINUTE} a minute, the rest counted) so that a flood of
 * reports cannot flood the log.
 */
public final class ProfileReportEndpoint extends Handler.Abstract {
    public static final NamedPathSpec PATH = new NamedPathSpec("^/profiles/(?<profile>[^/]*)/report$");
    private static final Logger LOG = LoggerFactory.getLogger(ProfileReportEndpoint.class);
    static final int MAX_BODY = 4096;
    /** An oversized body up to this size is read and dropped before the 413 ({@link BoundedBody}). */
    static final int DRAIN_LIMIT = 1024 * 1024;
    static final int LINES_PER_MINUTE = 30;

    private final BootFiles files;
    private final Consumer<Sighting> sightings;
    private long windowStart;
    private int linesInWindow;
    private long suppressed;

    public ProfileReportEndpoint(BootFiles files) {
        this.files = files;
        this.sightings = files.sightings();
        this.windowStart = System.nanoTime();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!HttpMethod.POST.is(request.getMethod())) {
            return Problem.methodNotAllowed(request, response, callback, "POST", "use POST");
        }
        if (files.artifacts().unknownMenu().isEmpty()) {
            return Responses.error(request, response, callback, 404, "machines not in the descriptor are not served (allowUnknown is off)");
        }
        String profile = PATH.param(request, "profile");
        if (MenuProfile.named(profile).isEmpty()) {
            return Responses.error(request, response, callback, 404, "no such menu profile");
        }
        JsonNode body;
        try {
            Optional<byte[]> bytes = BoundedBody.read(request, response, MAX_BODY, DRAIN_LIMIT);
            if (bytes.isEmpty()) {
                return Responses.error(request, response, callback, 413, "report body over " + MAX_BODY + " bytes");
            }
            body = bytes.get().length == 0 ? Responses.JSON.createObjectNode() : Responses.JSON.readTree(bytes.get());
        } catch (IOException e) {
            return Responses.error(request, response, callback, 400, "body is not JSON");
        }
        if (body == null || !body.isObject()) {
            return Responses.error(request, response, callback, 400, "body must be a JSON object");
        }
        Optional<MacAddress> mac;
        try {
            mac = body.hasNonNull("mac") ? Optional.of(MacAddress.parse(body.get("mac").asText())) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Responses.error(request, response, callback, 400, "field 'mac' is not a MAC address");
        }
        Optional<Ipv4> source = ClientAddress.of(request);
        String what = "booted menu profile " + profile;
        sightings.accept(new Sighting(Sighting.Protocol.HTTP, Optional.empty(), mac, source, what));
        log(mac, source, what);
        return Responses.json(response, callback, 200, Map.of("profile", profile));
    }

    private synchronized void log(Optional<MacAddress> mac, Optional<Ipv4> source, String what) {
        long now = System.nanoTime();
        if (now - windowStart > 60_000_000_000L) {
            if (suppressed > 0) {
                LOG.info("{} more reports of machines not in the descriptor were not logged", suppressed);
            }
            windowStart = now;
            linesInWindow = 0;
            suppressed = 0;
        }
        if (++linesInWindow > LINES_PER_MINUTE) {
            suppressed++;
            return;
        }
        LOG.info("machine not in the descriptor, MAC {} at {}, {}: add it to machines to install it",
                mac.map(MacAddress::toString).orElse("?"), source.map(Ipv4::toString).orElse("?"), what);
    }
}
