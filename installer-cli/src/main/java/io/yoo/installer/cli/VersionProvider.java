package io.yoo.installer.cli;

import picocli.CommandLine.IVersionProvider;

/** Version from the jar manifest (set by Maven), so it is never out of date. */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Yoo.class.getPackage().getImplementationVersion();
        return new String[] {"yoo " + (v == null ? "development build" : v), "Java " + Runtime.version()};
    }
}
