package io.yoo.installer.http.api;

import io.yoo.installer.core.state.ApiTokenKind;

/** Who is calling the API: the token's name (the audit log's "who") and what it may do. */
public record ApiCaller(String name, ApiTokenKind kind) {
    /** The name the admin-token file's token goes by (reserved: no stored token may take it). */
    public static final String ADMIN_TOKEN_FILE = "admin-token";

    public boolean may(ApiTokenKind needed) {
        return kind == ApiTokenKind.ADMIN || needed == ApiTokenKind.READ_ONLY;
    }
}
