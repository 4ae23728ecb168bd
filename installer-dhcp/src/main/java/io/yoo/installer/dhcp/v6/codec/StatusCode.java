package io.yoo.installer.dhcp.v6.codec;

/** Option 13: a status code and its message. */
public record StatusCode(int code, String message) {}
