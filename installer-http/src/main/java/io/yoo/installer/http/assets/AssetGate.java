package io.yoo.installer.http.assets;

import java.util.Optional;
import java.util.function.Predicate;

/**
 * Which asset paths (relative to the asset directory) may be served, and why not: the reason goes
 * to the server log and into the failure message of the machine that asked
 * ({@code AssetCatalog::refusal} in {@code yoo serve}).
 */
@FunctionalInterface
public interface AssetGate {
    /** Empty when {@code relativePath} may be served; else why not, in words. */
    Optional<String> refusal(String relativePath);

    AssetGate OPEN = path -> Optional.empty();

    static AssetGate of(Predicate<String> servable) {
        return path -> servable.test(path) ? Optional.empty() : Optional.of("not servable");
    }
}
