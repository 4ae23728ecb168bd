package io.yoo.installer.core.assets;

/** What the catalog knows about one asset path. */
public enum AssetStatus {
    /** verified and unchanged since: servable */
    PRESENT,
    /** verified once, but the file is gone or its content changed since: not servable */
    STALE,
    /** never verified (or never there): not servable */
    MISSING
}
