package io.yoo.installer.cli;

import io.yoo.installer.core.descriptor.BmcSettings;
import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.descriptor.DescriptorException;
import io.yoo.installer.core.descriptor.DescriptorLoader;
import io.yoo.installer.core.descriptor.Machine;
import io.yoo.installer.ipmi.control.BmcAddress;
import io.yoo.installer.ipmi.scan.BmcProtocol;
import java.nio.file.Path;
import java.util.Map;

/** Finds a machine's BMC in the cluster descriptor, for {@code yoo power} and {@code yoo reprovision}. */
final class BmcLookup {
    private BmcLookup() {}

    /** Where and how to log in to one BMC. */
    record BmcTarget(BmcAddress address, BmcProtocol protocol, String username, String password) {
        @Override
        public String toString() {
            return protocol.key() + "://" + username + "@" + address; // never the password
        }
    }

    /**
     * Loads the descriptor. MERGE POINT: the YAML loader is written by the descriptor helper as
     * {@code io.yoo.installer.core.descriptor.DescriptorLoader.load(Path)}; at merge this body
     * becomes {@code return DescriptorLoader.load(file);} (and DescriptorException is reported
     * with its file:line:column errors by the caller).
     */
    static ClusterDescriptor loadDescriptor(Path file) {
        try {
            return DescriptorLoader.load(file);
        } catch (DescriptorException e) {
            // one line per mistake, file:line:column, as yoo validate prints them
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    /** An embedded example ({@code --example NAME}). */
    static ClusterDescriptor loadExample(String name) {
        try {
            return DescriptorLoader.loadExample(name);
        } catch (DescriptorException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    /** The BMC of machine {@code name}; the password comes from the variable named in the descriptor, or the literal there. */
    static BmcTarget lookup(ClusterDescriptor descriptor, String name, Map<String, String> env) {
        Machine m = descriptor.machine(name).orElseThrow(() -> new IllegalArgumentException(
                descriptor.source() + ": no machine named '" + name + "'"));
        BmcSettings bmc = m.bmc().orElseThrow(() -> new IllegalArgumentException(
                descriptor.source() + ": machine '" + name + "' has no bmc: block"));
        String password;
        if (bmc.passwordEnv().isPresent()) {
            String var = bmc.passwordEnv().get();
            password = env.get(var);
            if (password == null) {
                throw new IllegalArgumentException("machine '" + name + "': BMC password variable " + var + " is not set");
            }
        } else {
            password = bmc.password().orElseThrow(() -> new IllegalArgumentException(
                    descriptor.source() + ": machine '" + name + "' bmc has neither password nor passwordEnv"));
        }
        BmcAddress address;
        try {
            address = BmcAddress.parse(bmc.address());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(descriptor.source() + ": machine '" + name + "' bmc.address: " + e.getMessage());
        }
        return new BmcTarget(address, BmcProtocol.parse(bmc.protocol()), bmc.username(), password);
    }
}
