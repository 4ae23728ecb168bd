package io.yoo.installer.core.state;

import java.time.Instant;

/** One stored install log, without its content. */
public record InstallLogInfo(String machine, int attempt, Instant uploadedAt, long bytes, long compressedBytes) {}
