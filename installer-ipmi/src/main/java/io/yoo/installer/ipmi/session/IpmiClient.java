package io.yoo.installer.ipmi.session;

import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.MacAddress;
import io.yoo.installer.ipmi.command.BootOptions;
import io.yoo.installer.ipmi.command.ChassisControl;
import io.yoo.installer.ipmi.command.ChassisStatus;
import io.yoo.installer.ipmi.command.DeviceId;
import io.yoo.installer.ipmi.command.FruCommands;
import io.yoo.installer.ipmi.command.FruInventory;
import io.yoo.installer.ipmi.command.IpmiCommandException;
import io.yoo.installer.ipmi.command.LanConfig;
import io.yoo.installer.ipmi.command.SystemGuid;
import io.yoo.installer.ipmi.oem.OemMacReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The IPMI commands Yoo needs, over one {@link IpmiSession}. Each method is one or a few
 * request/response exchanges; errors are {@link IOException} (transport, session) or
 * {@link IpmiCommandException} (the BMC refused this command: others may still work).
 */
public final class IpmiClient implements AutoCloseable {
    private static final int FRU_CHUNK = 32;
    private final IpmiSession session;

    private IpmiClient(IpmiSession session) {
        this.session = session;
    }

    public static IpmiClient connect(IpmiClientConfig config) throws IOException {
        return new IpmiClient(IpmiSession.open(config));
    }

    public IpmiSession session() {
        return session;
    }

    public DeviceId deviceId() throws IOException, IpmiCommandException {
        return DeviceId.decode(session.execute(DeviceId.request()));
    }

    public SystemGuid systemGuid() throws IOException, IpmiCommandException {
        return SystemGuid.decode(session.execute(SystemGuid.request()));
    }

    public Ipv4 bmcAddress() throws IOException, IpmiCommandException {
        return LanConfig.decodeIpv4(session.execute(LanConfig.request(channel(), LanConfig.PARAM_IP)), LanConfig.PARAM_IP);
    }

    public MacAddress bmcMac() throws IOException, IpmiCommandException {
        return LanConfig.decodeMac(session.execute(LanConfig.request(channel(), LanConfig.PARAM_MAC)));
    }

    private int channel() {
        return session.capabilities().channel();
    }

    /** Reads FRU device {@code device} whole, shrinking the chunk when the BMC asks for less. */
    public byte[] readFru(int device) throws IOException, IpmiCommandException {
        int size = FruCommands.decodeAreaSize(session.execute(FruCommands.areaInfoRequest(device)));
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        int chunk = FRU_CHUNK;
        int offset = 0;
        while (offset < size) {
            int n = Math.min(chunk, size - offset);
            var r = session.execute(FruCommands.readRequest(device, offset, n));
            int cc = r.completionCode();
            if ((cc == FruCommands.CC_CANNOT_RETURN_BYTES || cc == FruCommands.CC_LENGTH_INVALID || cc == FruCommands.CC_TRUNCATED
                    || cc == FruCommands.CC_OUT_OF_RANGE) && chunk > 8) {
                chunk /= 2;
                continue;
            }
            byte[] got = FruCommands.decodeRead(r);
            if (got.length == 0) {
                throw new IpmiCommandException("Read FRU Data: BMC returned 0 bytes at offset " + offset);
            }
            out.writeBytes(got);
            offset += got.length;
        }
        return out.toByteArray();
    }

    public FruInventory fru(int device) throws IOException, IpmiCommandException {
        return FruInventory.parse(readFru(device));
    }

    public ChassisStatus chassisStatus() throws IOException, IpmiCommandException {
        return ChassisStatus.decode(session.execute(ChassisStatus.request()));
    }

    public void chassisControl(ChassisControl action) throws IOException, IpmiCommandException {
        ChassisControl.check(session.execute(action.request()));
    }

    public void setBootOptions(BootOptions options) throws IOException, IpmiCommandException {
        BootOptions.checkSet(session.execute(options.request()));
    }

    public BootOptions bootOptions() throws IOException, IpmiCommandException {
        return BootOptions.decode(session.execute(BootOptions.getRequest()));
    }

    /** Host NIC MACs through the first vendor reader that knows this BMC's maker; empty if none does. */
    public Optional<List<MacAddress>> oemHostMacs(int manufacturerId, List<OemMacReader> readers)
            throws IOException, IpmiCommandException {
        for (OemMacReader reader : readers) {
            if (reader.supports(manufacturerId)) {
                return Optional.of(reader.hostMacs(session));
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        session.close();
    }
}
