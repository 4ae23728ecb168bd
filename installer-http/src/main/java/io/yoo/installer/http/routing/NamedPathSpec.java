package io.yoo.installer.http.routing;

import java.util.regex.Matcher;
import org.eclipse.jetty.http.pathmap.RegexPathSpec;
import org.eclipse.jetty.server.Request;

/**
 * A regex path spec whose named groups are the path's parameters, e.g.
 * {@code ^/api/v1/machines/(?<name>[^/]*)/reprovision$}. Unlike Jetty's UriTemplatePathSpec
 * ({@code [^/]+}), a group may match the empty string, which keeps paths such as
 * {@code /api/v1/machines//reprovision} answered by the endpoint they always went to.
 */
public final class NamedPathSpec extends RegexPathSpec {

    public NamedPathSpec(String regex) {
        super(regex);
    }

    /** The named group's value in the request's path (the endpoint was matched by this spec). */
    public String param(Request request, String name) {
        // the whole path: PathMappingsHandler's request wrapper shortens getPathInContext to the
        // part after a spec's literal prefix
        String path = request.getHttpURI().getDecodedPath();
        Matcher m = getPattern().matcher(path);
        if (!m.matches()) {
            throw new IllegalStateException(path + " does not match " + getDeclaration());
        }
        return m.group(name);
    }
}
