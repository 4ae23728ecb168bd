package io.yoo.installer.ipmi.session;

import java.io.IOException;

/** The BMC answered but refused the user name or password (or the privilege asked for). */
public final class IpmiAuthenticationException extends IOException {
    public IpmiAuthenticationException(String message) {
        super(message);
    }
}
