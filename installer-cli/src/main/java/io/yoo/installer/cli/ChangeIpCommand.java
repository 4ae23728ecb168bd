package io.yoo.installer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.cli.console.ServerApi;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code yoo change-ip NAME NEW_IP}: through the running server
 * ({@code POST /api/v1/machines/NAME/change-ip}), moves a worker to a new address: checked, written
 * in place into the file that lists it (descriptor or machinesFrom), reloaded live (the DHCP
 * reservation follows), then reprovisioned so it reinstalls at the new address.
 */
@Command(name = "change-ip", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Move a worker machine to a new address through the running 'yoo serve': the address is checked (the machine's segment,"
                + " outside the pool, nobody else's machine, lease, server, gateway, DNS or relay address), the machine's ip: is rewritten in"
                + " place in the file that lists it (comments kept), the descriptor is reloaded (the DHCP reservation follows) and the"
                + " machine is reprovisioned (network boot once and power cycle through its BMC) so it reinstalls with the new address"
                + " everywhere (network, kubelet node-ip). Control-plane machines are refused."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:changed (and reprovisioned)", "1:no such machine, or the address or file refused (the reasons are printed)",
            "2:usage error", "3:the server or the BMC cannot be reached, or the token was refused"})
final class ChangeIpCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ServerConnection server = new ServerConnection();

    @Parameters(index = "0", paramLabel = "NAME", description = "The machine.")
    String name;

    @Parameters(index = "1", paramLabel = "NEW_IP", description = "Its new address.")
    String ip;

    @Option(names = "--no-reprovision", description = "Change the descriptor only; the machine takes the address at its next install.")
    boolean noReprovision;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            Ipv4.parse(ip);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "NEW_IP '" + ip + "' is not an IPv4 address");
        }
        ServerApi api;
        JsonNode answer;
        try {
            api = server.connect();
            ObjectNode body = api.mapper().createObjectNode().put("ip", ip).put("reprovision", !noReprovision);
            String path = "/api/v1/machines/" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20") + "/change-ip";
            answer = api.send("POST", path, body, Yoo.EXIT_INVALID, Yoo.EXIT_ENVIRONMENT, Yoo.EXIT_INVALID);
        } catch (ServerApi.Failure f) {
            err.println("yoo change-ip: " + f.getMessage());
            return f.exitCode();
        }
        out.print(answer.path("diff").asText());
        out.println(name + ": " + answer.path("before").asText() + " -> " + answer.path("after").asText() + " in "
                + answer.path("file").asText() + ", reloaded");
        JsonNode rp = answer.path("reprovision");
        if (rp.isNull() || rp.isMissingNode()) {
            out.println(name + ": not reprovisioned (--no-reprovision): it takes " + answer.path("after").asText() + " at its next install");
            return Yoo.EXIT_OK;
        }
        JsonNode bmc = rp.path("bmc");
        if (bmc.isNull() || bmc.isMissingNode()) {
            out.println(name + ": reset (attempt " + rp.path("generation").asInt() + "); no BMC: boot it from the network to reinstall");
            return Yoo.EXIT_OK;
        }
        if (bmc.hasNonNull("error")) {
            out.println(name + ": reset (attempt " + rp.path("generation").asInt() + "); BMC " + bmc.path("address").asText() + " FAILED: "
                    + bmc.get("error").asText() + " (boot it from the network to reinstall)");
            return Yoo.EXIT_ENVIRONMENT;
        }
        out.println(name + ": reset (attempt " + rp.path("generation").asInt() + "); BMC " + bmc.path("address").asText() + ": "
                + bmc.path("done").asText());
        out.flush();
        return Yoo.EXIT_OK;
    }
}
