package io.yoo.installer.core.assets.fetch;

/** Told about each transfer; implementations must be thread-safe (downloads run in parallel). */
public interface ProgressListener {
    ProgressListener NONE = new ProgressListener() {};

    /** @param total expected bytes, -1 if unknown; @param resumedFrom bytes already on disk */
    default void started(String name, long total, long resumedFrom) {}

    default void advanced(String name, long bytes) {}

    default void finished(String name, boolean ok, String message) {}
}
