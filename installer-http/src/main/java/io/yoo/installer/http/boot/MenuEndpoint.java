package io.yoo.installer.http.boot;

import java.util.Optional;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code /boot/menu.ipxe} ({@code BootUrls.menuScript}): the boot menu for machines not in the
 * descriptor ({@code server.allowUnknown}); 404 with allowUnknown off.
 */
public final class MenuEndpoint extends Handler.Abstract {
    public static final String PATH = "/boot/menu.ipxe";

    private final BootFiles files;

    public MenuEndpoint(BootFiles files) {
        this.files = files;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (BootFiles.refusedMethod(request, response, callback)) {
            return true;
        }
        return files.menu(Optional.empty(), request, response, callback);
    }
}
