package io.yoo.installer.http.support;

import org.eclipse.jetty.server.Request;

/** The machine token a machine's own request carries: {@code ?token=}, header {@code X-Yoo-Token}, or {@code Authorization: Bearer}. */
public final class PresentedMachineToken {
    private PresentedMachineToken() {}

    /** The token, or null when the request carries none. */
    public static String of(Request request) {
        String q = Request.extractQueryParameters(request).getValue("token");
        if (q != null) {
            return q;
        }
        String h = request.getHeaders().get("X-Yoo-Token");
        if (h != null) {
            return h.strip();
        }
        return BearerToken.of(request).orElse(null);
    }
}
