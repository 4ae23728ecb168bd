package io.yoo.installer.ipmi.plan;

import io.yoo.installer.api.net.Ipv4;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * How a host's index, address and name follow from its BMC's address.
 *
 * <p>Variables: {@code o1 o2 o3 o4} the BMC address octets, {@code n} the BMC's position in the
 * scan (0-based); address and name templates also see {@code index}. The seed's plan (28 blades
 * per chassis, chassis from the third octet) is {@link #SEED}:
 * <pre>
 *   index   = (o3 - 202) * 28 + o4
 *   address = 10.12.1.{index}
 *   name    = core-1-{index}
 * </pre>
 */
public record AddressRule(Expr index, Template address, Template name) {
    static final Set<String> INDEX_VARS = Set.of("o1", "o2", "o3", "o4", "n");
    static final Set<String> TEMPLATE_VARS = Set.of("o1", "o2", "o3", "o4", "n", "index");

    public static final AddressRule SEED = parse("(o3 - 202) * 28 + o4", "10.12.1.{index}", "core-1-{index}");

    public static AddressRule parse(String index, String address, String name) {
        return new AddressRule(Expr.parse(index, INDEX_VARS), Template.parse(address, TEMPLATE_VARS),
                Template.parse(name, TEMPLATE_VARS));
    }

    /** The host for the BMC at {@code bmc}, n-th in the scan; throws with a reason if the result is unusable. */
    public HostAssignment assign(Ipv4 bmc, int n) {
        Map<String, Long> v = new HashMap<>();
        for (int i = 0; i < 4; i++) {
            v.put("o" + (i + 1), (long) bmc.octet(i));
        }
        v.put("n", (long) n);
        long idx;
        try {
            idx = index.eval(v);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("index rule: " + e.getMessage());
        }
        v.put("index", idx);
        String addr;
        String host;
        try {
            addr = address.render(v);
            host = name.render(v);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        Ipv4 ip;
        try {
            ip = Ipv4.parse(addr);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("BMC " + bmc + " gives index " + idx + " and address '" + addr + "', not an IPv4 address");
        }
        if (!host.matches("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")) {
            throw new IllegalArgumentException("BMC " + bmc + " gives name '" + host + "', not a DNS label (a-z, 0-9, '-')");
        }
        return new HostAssignment(idx, ip, host);
    }
}
