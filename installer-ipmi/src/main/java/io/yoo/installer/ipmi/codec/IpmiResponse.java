package io.yoo.installer.ipmi.codec;

import java.util.HexFormat;

/**
 * A BMC's answer to an {@link IpmiRequest}.
 *
 * @param completionCode 0 = success; see {@link CompletionCodes}
 * @param data           response data after the completion code
 */
public record IpmiResponse(int netFn, int command, int sequence, int completionCode, byte[] data) {
    public IpmiResponse {
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    public boolean ok() {
        return completionCode == 0;
    }

    @Override
    public String toString() {
        return String.format("IpmiResponse[netFn=0x%02x, cmd=0x%02x, seq=%d, cc=0x%02x, data=%s]", netFn, command, sequence,
                completionCode, HexFormat.of().formatHex(data));
    }
}
