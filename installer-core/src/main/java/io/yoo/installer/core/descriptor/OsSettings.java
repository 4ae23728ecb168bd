package io.yoo.installer.core.descriptor;

/**
 * The operating system to install.
 *
 * @param channel   Flatcar channel: stable, beta, alpha, lts
 * @param version   Flatcar version, e.g. {@code 4081.2.0}, or {@code current}
 * @param autologin debug: console login without password in the live system
 */
public record OsSettings(String channel, String version, ConfigDialect dialect, String installDisk, boolean autologin) {}
