package io.yoo.installer.cli;

import io.yoo.installer.ipmi.codec.CipherSuite;
import io.yoo.installer.ipmi.redfish.RedfishConfig;
import io.yoo.installer.ipmi.redfish.TlsTrust;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** BMC login and transport options shared by ipmi-scan, power and reprovision. */
final class BmcOptions {
    static final String DEFAULT_PASSWORD_ENV = "YOO_BMC_PASSWORD";

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = {"-U", "--user"}, description = "BMC user name (default: ${DEFAULT-VALUE}).", defaultValue = "admin")
    String user;

    @Option(names = "--password", description = "BMC password (visible in the process list: prefer --password-env).")
    String password;

    @Option(names = "--password-env", paramLabel = "VAR",
            description = "Environment variable holding the BMC password (default: " + DEFAULT_PASSWORD_ENV + ").")
    String passwordEnv;

    @Option(names = "--cipher-suite", paramLabel = "3|17", description = "RMCP+ cipher suite (default: ${DEFAULT-VALUE}).",
            defaultValue = "3")
    int cipherSuite;

    @Option(names = "--ipmi-port", description = "IPMI UDP port (default: ${DEFAULT-VALUE}).", defaultValue = "623")
    int ipmiPort;

    @Option(names = "--timeout-ms", description = "Wait per try for a BMC answer (default: ${DEFAULT-VALUE}).", defaultValue = "1000")
    long timeoutMs;

    @Option(names = "--retries", description = "Extra tries after a timeout (default: ${DEFAULT-VALUE}).", defaultValue = "2")
    int retries;

    @Option(names = "--redfish-scheme", description = "https or http (default: ${DEFAULT-VALUE}).", defaultValue = "https")
    String redfishScheme;

    @Option(names = "--redfish-port", description = "Redfish port (default: ${DEFAULT-VALUE}).", defaultValue = "443")
    int redfishPort;

    @Option(names = "--redfish-auth", paramLabel = "session|basic",
            description = "Redfish login: a session (falls back to basic if the BMC has none) or basic auth (default: ${DEFAULT-VALUE}).",
            defaultValue = "session")
    String redfishAuth;

    @Option(names = "--pin", paramLabel = "SHA256",
            description = "Accept only the BMC TLS certificate with this SHA-256 fingerprint "
                    + "(openssl x509 -noout -fingerprint -sha256).")
    String pin;

    @Option(names = "--insecure", description = "Accept any BMC TLS certificate (labs only; never the default).")
    boolean insecure;

    String resolvePassword(Map<String, String> env) {
        if (password != null && passwordEnv != null) {
            throw new ParameterException(spec.commandLine(), "give --password or --password-env, not both");
        }
        if (password != null) {
            return password;
        }
        String var = passwordEnv != null ? passwordEnv : DEFAULT_PASSWORD_ENV;
        String v = env.get(var);
        if (v == null) {
            throw new ParameterException(spec.commandLine(), "no BMC password: set " + var + " or pass --password-env VAR / --password");
        }
        return v;
    }

    CipherSuite suite() {
        try {
            return CipherSuite.of(cipherSuite);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    Duration timeout() {
        if (timeoutMs < 1 || retries < 0) {
            throw new ParameterException(spec.commandLine(), "--timeout-ms must be positive and --retries >= 0");
        }
        return Duration.ofMillis(timeoutMs);
    }

    RedfishConfig.Auth auth() {
        return switch (redfishAuth) {
            case "session" -> RedfishConfig.Auth.SESSION;
            case "basic" -> RedfishConfig.Auth.BASIC;
            default -> throw new ParameterException(spec.commandLine(), "--redfish-auth must be session or basic");
        };
    }

    TlsTrust trust() {
        if (pin != null && insecure) {
            throw new ParameterException(spec.commandLine(), "give --pin or --insecure, not both");
        }
        if (!"https".equals(redfishScheme) && !"http".equals(redfishScheme)) {
            throw new ParameterException(spec.commandLine(), "--redfish-scheme must be https or http");
        }
        try {
            return pin != null ? TlsTrust.pinned(pin) : insecure ? TlsTrust.insecure() : TlsTrust.system();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
