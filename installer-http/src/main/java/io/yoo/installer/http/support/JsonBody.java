package io.yoo.installer.http.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The bounded JSON body of an admin action (change-ip, reprovision, enroll): at most {@code max}
 * bytes are read; a larger body is refused with 413, one that is not JSON with 400, and an empty
 * one is {@link Optional#empty()} (each endpoint says whether that is allowed). The unread rest of
 * a refused body is left to {@link CloseWhenBodyUnread}.
 */
public final class JsonBody {
    private JsonBody() {}

    /** Why a body was not taken: the status and detail of the problem answer. */
    public static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        private final int status;

        public Refused(int status, String detail) {
            super(detail);
            this.status = status;
        }

        public int status() {
            return status;
        }

        /** Answers with this refusal as a problem document. */
        public boolean send(Request request, Response response, Callback callback) {
            return Responses.error(request, response, callback, status, getMessage());
        }
    }

    /** The body as JSON; empty for an empty body. Blocks (the endpoints run as MAY_BLOCK). */
    public static Optional<JsonNode> read(Request request, int max) throws Refused {
        byte[] bytes;
        try (InputStream in = Request.asInputStream(request)) {
            bytes = in.readNBytes(max + 1);
        } catch (IOException e) {
            throw new Refused(400, "cannot read the body: " + e.getMessage());
        }
        if (bytes.length > max) {
            throw new Refused(413, "body over " + max + " bytes");
        }
        if (bytes.length == 0) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(Responses.JSON.readTree(bytes));
        } catch (IOException e) {
            throw new Refused(400, "body is not JSON");
        }
    }
}
