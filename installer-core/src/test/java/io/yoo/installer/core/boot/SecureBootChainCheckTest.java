package io.yoo.installer.core.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.core.descriptor.ClusterDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** yoo validate's warnings when a Secure Boot machine's chain is incomplete in the mirror. */
class SecureBootChainCheckTest {
    @TempDir
    Path dir;

    /** A minimal PE32+ header; {@code certSize} > 0 sets the certificate table (data directory 4). */
    Path pe(String name, int certSize) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(1024).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(0, (short) 0x5A4D);
        b.putInt(0x3C, 0x80);
        b.putInt(0x80, 0x00004550);
        int opt = 0x80 + 24;
        b.putShort(opt, (short) 0x20B);
        int security = opt + 112 + 4 * 8;
        b.putInt(security, certSize == 0 ? 0 : 0x400);
        b.putInt(security + 4, certSize);
        Path p = dir.resolve(name);
        Files.write(p, b.array());
        return p;
    }

    List<String> warnings(ClusterDescriptor d, Map<String, Path> mirror) {
        return SecureBootChainCheck.warnings(d, rel -> Optional.ofNullable(mirror.get(rel)),
                rel -> mirror.containsKey(rel) ? Optional.empty() : Optional.of("is missing"));
    }

    @Test
    void no_warning_without_secure_boot_machines_or_with_a_complete_signed_chain() throws IOException {
        ClusterDescriptor off = SecureBootChainTest.descriptor(false);
        Map<String, Path> mirror = new HashMap<>();
        String kernel = "flatcar/stable/4081.2.0/flatcar_production_pxe.vmlinuz";
        String initrd = "flatcar/stable/4081.2.0/flatcar_production_pxe_image.cpio.gz";
        mirror.put("secureboot/shimx64.efi", pe("shim", 100));
        mirror.put("secureboot/grubx64.efi", pe("grub", 100));
        mirror.put(kernel, pe("kernel", 100));
        mirror.put(initrd, pe("initrd", 0));
        assertThat(warnings(off, mirror)).isEmpty();

        mirror.remove("secureboot/grubx64.efi");
        assertThat(warnings(off, mirror)).singleElement().asString()
                .contains("machine signed").contains("secureboot/grubx64.efi is missing").contains("yoo assets add");

        mirror.put("secureboot/grubx64.efi", pe("grub", 100));
        mirror.put(kernel, pe("unsigned", 0));
        mirror.remove(initrd);
        assertThat(warnings(off, mirror)).hasSize(2).anySatisfy(w -> assertThat(w).contains(initrd + " is missing"))
                .anySatisfy(w -> assertThat(w).contains("carries no Authenticode signature"));
    }

    @Test
    void the_debian_test_kernel_is_signed_and_a_text_file_is_not() throws IOException {
        Path k = Path.of("/var/tmp/yoo-testos/vmlinuz");
        if (Files.isRegularFile(k)) {
            assertThat(SecureBootChainCheck.hasAuthenticodeSignature(k)).isTrue();
        }
        Path shim = Path.of("/usr/lib/shim/shimx64.efi.signed");
        if (Files.isRegularFile(shim)) {
            assertThat(SecureBootChainCheck.hasAuthenticodeSignature(shim)).isTrue();
        }
        Path text = dir.resolve("t");
        Files.writeString(text, "MZ but not a PE file at all");
        assertThat(SecureBootChainCheck.hasAuthenticodeSignature(text)).isFalse();
        assertThat(SecureBootChainCheck.hasAuthenticodeSignature(pe("x", 0))).isFalse();
        assertThat(SecureBootChainCheck.hasAuthenticodeSignature(pe("y", 8))).isTrue();
    }
}
