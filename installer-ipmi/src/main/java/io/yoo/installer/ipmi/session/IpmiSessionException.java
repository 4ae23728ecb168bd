package io.yoo.installer.ipmi.session;

import java.io.IOException;

/** The BMC answered but a session could not be set up for another reason (algorithms, resources). */
public final class IpmiSessionException extends IOException {
    public IpmiSessionException(String message) {
        super(message);
    }
}
