package io.yoo.installer.core.boot;

import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.descriptor.Machine;
import io.yoo.installer.core.render.BootImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code yoo validate}'s warnings for Secure Boot machines: every link of the chain must be in the
 * asset mirror and verified ({@code secureboot/shimx64.efi}, {@code secureboot/grubx64.efi}, the
 * kernel and initrd the GRUB file names), and the kernel must carry an Authenticode signature
 * (shim refuses an unsigned one: "bad shim signature"). Warnings, not errors: the chain may also
 * come from the server's own packages (shim-signed, grub-efi-amd64-signed) at serve time.
 */
public final class SecureBootChainCheck {
    /** PE files are read up to here for the header; the certificate table is found from it. */
    private static final int HEADER_BYTES = 4096;

    private SecureBootChainCheck() {}

    /**
     * @param verified the asset mirror: relative path → the file if verified and unchanged
     * @param reason   why a relative path is not served (for the message), e.g. "missing"
     */
    public static List<String> warnings(ClusterDescriptor d, Function<String, Optional<Path>> verified,
            Function<String, Optional<String>> reason) {
        List<String> users = new ArrayList<>();
        for (Machine m : d.machines()) {
            if (SecureBootChain.wanted(d, Optional.of(m))) {
                users.add(m.name());
            }
        }
        if (users.isEmpty() && !((d.os().secureBoot() || !d.os().secureBootSubnets().isEmpty()) && d.server().allowUnknown())) {
            return List.of();
        }
        String who = users.isEmpty() ? "machines not in the descriptor (os.secureBoot)"
                : (users.size() == 1 ? "machine " : "machines ") + String.join(", ", users.size() > 5 ? users.subList(0, 5) : users)
                        + (users.size() > 5 ? " and " + (users.size() - 5) + " more" : "");
        List<String> out = new ArrayList<>();
        for (String f : List.of(SecureBootChain.SHIM, SecureBootChain.GRUB)) {
            String rel = SecureBootChain.ASSET_DIR + f;
            if (verified.apply(rel).isEmpty()) {
                out.add("Secure Boot chain of " + who + " is incomplete in the asset mirror: " + rel + " "
                        + reason.apply(rel).orElse("is not verified") + " (yoo assets add "
                        + SecureBootChain.SYSTEM_FILES.get(f) + " --as " + rel + " --sha256 ...; until then the server's package file is used if present)");
            }
        }
        BootImage image = BootImage.of(d.os());
        for (String rel : List.of(image.kernelPath(), image.initrdPath())) {
            if (verified.apply(rel).isEmpty()) {
                out.add("Secure Boot chain of " + who + " is incomplete in the asset mirror: " + rel + " "
                        + reason.apply(rel).orElse("is not verified"));
            }
        }
        verified.apply(image.kernelPath()).ifPresent(k -> {
            if (!hasAuthenticodeSignature(k)) {
                out.add("Secure Boot chain of " + who + ": kernel " + image.kernelPath()
                        + " carries no Authenticode signature; shim will refuse it (\"bad shim signature\")");
            }
        });
        return out;
    }

    /**
     * True when {@code file} is a PE image whose certificate table (data directory 4) is not
     * empty: signed, by someone. Which key signed it is for shim to judge.
     */
    public static boolean hasAuthenticodeSignature(Path file) {
        byte[] h = new byte[HEADER_BYTES];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(h, 0, h.length);
        } catch (IOException e) {
            return false;
        }
        ByteBuffer b = ByteBuffer.wrap(h, 0, n).order(ByteOrder.LITTLE_ENDIAN);
        if (n < 0x40 || b.getShort(0) != 0x5A4D) {              // "MZ"
            return false;
        }
        int pe = b.getInt(0x3C);
        if (pe < 0 || pe + 24 + 2 > n || b.getInt(pe) != 0x00004550) {   // "PE\0\0"
            return false;
        }
        int opt = pe + 24;
        int magic = b.getShort(opt) & 0xFFFF;
        int dirs = switch (magic) {
            case 0x20B -> opt + 112;   // PE32+
            case 0x10B -> opt + 96;    // PE32
            default -> -1;
        };
        int entry = dirs + 4 * 8;      // IMAGE_DIRECTORY_ENTRY_SECURITY
        if (dirs < 0 || entry + 8 > n) {
            return false;
        }
        return b.getInt(entry) != 0 && b.getInt(entry + 4) != 0;
    }
}
