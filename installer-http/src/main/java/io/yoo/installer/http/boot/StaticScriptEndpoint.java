package io.yoo.installer.http.boot;

import io.yoo.installer.core.boot.BootFileSelector;
import io.yoo.installer.http.support.Responses;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** A script that is the same for every machine, encoded once: every booting machine fetches it. */
public final class StaticScriptEndpoint extends Handler.Abstract {
    /**
     * {@code /boot.ipxe}, the static chain script. iPXE resolves the relative URL against this
     * script's own URL, so it works whatever address the machine used to reach us. The MAC goes in
     * with hyphens ({@code ${mac:hexhyp}}): with colons, iPXE (seen: QEMU's ROM) reads
     * "/boot/by-mac/52" as a URI scheme and fails with "Operation not supported".
     */
    public static final String CHAIN_PATH = "/boot.ipxe";
    static final String CHAIN = """
            #!ipxe
            # Yoo Installer: fetch this machine's own script, found by its MAC
            chain --replace --autofree /boot/by-mac/${mac:hexhyp}.ipxe?uuid=${uuid}&arch=${buildarch} || goto none
            :none
            echo Yoo Installer has no boot script for ${mac} (${uuid}); booting from the next device in 10 s
            sleep 10
            exit 1
            """;

    private final byte[] script;

    private StaticScriptEndpoint(String script) {
        this.script = script.getBytes(StandardCharsets.UTF_8);
    }

    /** {@value #CHAIN_PATH}: asks for {@code /boot/by-mac/{mac}.ipxe}. */
    public static StaticScriptEndpoint chain() {
        return new StaticScriptEndpoint(CHAIN);
    }

    /**
     * {@code BootFileSelector.LOCAL_BOOT_PATH}: boot from the local disk. The script is policy
     * (what an installed machine boots), so it comes from installer-core.
     */
    public static StaticScriptEndpoint localBoot() {
        return new StaticScriptEndpoint(BootFileSelector.LOCAL_BOOT_SCRIPT);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (BootFiles.refusedMethod(request, response, callback)) {
            return true;
        }
        return Responses.send(response, callback, 200, Responses.TEXT, script);
    }
}
