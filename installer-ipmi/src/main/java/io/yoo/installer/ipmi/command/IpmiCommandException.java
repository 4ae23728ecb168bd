package io.yoo.installer.ipmi.command;

import io.yoo.installer.ipmi.codec.CompletionCodes;

/** A command the BMC answered with a non-zero completion code, or with too little data. */
public final class IpmiCommandException extends Exception {
    private final int completionCode;

    public IpmiCommandException(String command, int completionCode) {
        super(command + ": BMC answered " + CompletionCodes.describe(completionCode));
        this.completionCode = completionCode;
    }

    public IpmiCommandException(String message) {
        super(message);
        this.completionCode = -1;
    }

    /** The completion code, or -1 for a malformed answer. */
    public int completionCode() {
        return completionCode;
    }
}
