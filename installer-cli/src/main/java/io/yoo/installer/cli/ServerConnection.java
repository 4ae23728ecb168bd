package io.yoo.installer.cli;

import io.yoo.installer.cli.console.ServerApi;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options of every command that talks to a running {@code yoo serve}: where it is and which token to use. */
final class ServerConnection {
    @Option(names = "--url", defaultValue = "http://127.0.0.1:8080", description = "The server (default ${DEFAULT-VALUE}).")
    URI url;

    @Option(names = "--state-dir", defaultValue = ".yoo", paramLabel = "DIR", description = "Where the admin token is (default ${DEFAULT-VALUE}).")
    Path stateDir;

    @Option(names = "--token-env", defaultValue = "YOO_ADMIN_TOKEN", paramLabel = "VAR",
            description = "Environment variable with a token, used before the state dir (default ${DEFAULT-VALUE}).")
    String tokenEnv;

    Map<String, String> env = System.getenv();

    /** @throws ServerApi.Failure (usage) when there is no token to use */
    ServerApi connect() throws ServerApi.Failure, IOException {
        return ServerApi.connect(url, env, tokenEnv, stateDir, Yoo.EXIT_USAGE);
    }
}
