package io.yoo.installer.http;

import io.yoo.installer.core.descriptor.Machine;
import io.yoo.installer.core.descriptor.MachineOverrides;
import io.yoo.installer.core.descriptor.Role;
import io.yoo.installer.api.net.Ipv4;
import io.yoo.installer.api.net.MacAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The ONE place tests build descriptor records (so a constructor change is fixed here only). */
final class Fixtures {
    private Fixtures() {}

    static Machine machine(String name, String mac, String ip, Role role, Map<String, String> labels) {
        return new Machine(name, List.of(MacAddress.parse(mac)), Optional.empty(), Ipv4.parse(ip), role, labels,
                MachineOverrides.NONE, Optional.empty());
    }
}
