package io.yoo.installer.ipmi.scan;

/** Told about each BMC as it finishes (from scan threads: implementations must be thread-safe). */
@FunctionalInterface
public interface ScanListener {
    void finished(BmcReport report, int done, int total);

    ScanListener NONE = (r, d, t) -> { };
}
