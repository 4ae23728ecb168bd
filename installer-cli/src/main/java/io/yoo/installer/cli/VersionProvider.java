package io.yoo.installer.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Enumeration;
import java.util.jar.Manifest;
import picocli.CommandLine.IVersionProvider;

/**
 * Version and commit from the jar manifest (set by Maven: Implementation-Version, and Yoo-Commit
 * from git-commit-id-maven-plugin, "unknown" when built without .git), so it is never out of date.
 */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
        String v = version();
        String commit = commit();
        return new String[] {"yoo " + (v == null ? "development build" : v) + (commit == null ? "" : " (commit " + commit + ")"),
            "Java " + Runtime.version()};
    }

    /** Implementation-Version of yoo's jar; null outside a built jar (e.g. from target/classes). */
    static String version() {
        return Yoo.class.getPackage().getImplementationVersion();
    }

    /** The build's commit for {@code yoo_build_info}; null when unknown (never throws: metrics must not stop a start). */
    static String commitOrNull() {
        try {
            return commit();
        } catch (IOException e) {
            return null;
        }
    }

    /** The Yoo-Commit of the manifest that came with this class's jar; null outside a built jar. */
    private static String commit() throws IOException {
        Enumeration<URL> manifests = Yoo.class.getClassLoader().getResources("META-INF/MANIFEST.MF");
        while (manifests.hasMoreElements()) {
            try (InputStream in = manifests.nextElement().openStream()) {
                Manifest m = new Manifest(in);
                if (Yoo.class.getName().equals(m.getMainAttributes().getValue("Main-Class"))) {
                    return m.getMainAttributes().getValue("Yoo-Commit");
                }
            }
        }
        return null;
    }
}
