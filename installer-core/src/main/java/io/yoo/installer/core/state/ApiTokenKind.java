package io.yoo.installer.core.state;

import java.util.Locale;

/** What an API token may do: read everything, or also act (reprovision, render secrets, manage tokens). */
public enum ApiTokenKind {
    READ_ONLY, ADMIN;

    public String key() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static ApiTokenKind fromKey(String key) {
        for (ApiTokenKind k : values()) {
            if (k.key().equals(key)) {
                return k;
            }
        }
        throw new IllegalArgumentException("token kind must be 'admin' or 'read-only', got '" + key + "'");
    }
}
