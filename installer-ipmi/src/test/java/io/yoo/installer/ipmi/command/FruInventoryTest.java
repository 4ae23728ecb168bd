package io.yoo.installer.ipmi.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.testsupport.Fuzz;
import io.yoo.installer.testsupport.Peers;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FruInventoryTest {

    /** The FRU image the ipmi_sim kit's mkfru.py writes: the same bytes the simulated BMC serves. */
    @Test
    void parsesTheSimulatorKitsFruImage(@TempDir Path dir) throws Exception {
        Peers.requireCommands("python3");
        Path out = dir.resolve("fru.bin");
        Process p = new ProcessBuilder("python3", Peers.shared().resolve("ipmi-sim/mkfru.py").toString(), out.toString(), "SER-42",
                "Blade-X", "Contoso").inheritIO().start();
        assertThat(p.waitFor()).isZero();
        FruInventory f = FruInventory.parse(Files.readAllBytes(out));
        assertThat(f.problems()).isEmpty();
        assertThat(f.chassis().orElseThrow()).isEqualTo(new FruInventory.Chassis(0x17, "CH-SER-42", "SER-42"));
        assertThat(f.board().orElseThrow()).isEqualTo(new FruInventory.Board("Contoso", "Blade-X-Board", "BRD-SER-42", "BRD-PN-01"));
        assertThat(f.product().orElseThrow())
                .isEqualTo(new FruInventory.Product("Contoso", "Blade-X", "M-100", "1.0", "SER-42", "ASSET-SER-42"));
        assertThat(f.serial()).contains("SER-42");
    }

    @Test
    void decodesSixBitAsciiAndBcdPlus() {
        // "IPMI" in 6-bit packed ASCII: 0x29 0xDC 0xA6
        assertThat(FruInventory.decode(2, new byte[] {0x29, (byte) 0xDC, (byte) 0xA6})).isEqualTo("IPMI");
        assertThat(FruInventory.decode(1, new byte[] {0x12, (byte) 0xB3})).isEqualTo("12-3");
    }

    @Test
    void aBrokenAreaIsNamedAndTheOthersStillParse() throws Exception {
        byte[] img = Files.readAllBytes(kitImage());
        img[img[3] * 8 + 5] ^= 1; // corrupt the board area
        FruInventory f = FruInventory.parse(img);
        assertThat(f.board()).isEmpty();
        assertThat(f.problems()).anyMatch(s -> s.contains("board area checksum"));
        assertThat(f.product()).isPresent();
    }

    private static Path kitImage() throws Exception {
        Peers.requireCommands("python3");
        Path out = Files.createTempFile("fru", ".bin");
        Process p = new ProcessBuilder("python3", Peers.shared().resolve("ipmi-sim/mkfru.py").toString(), out.toString(), "S1").start();
        assertThat(p.waitFor()).isZero();
        out.toFile().deleteOnExit();
        return out;
    }

    /** Random images with a valid common header (so the areas get parsed): 1000 cases, see {@link Fuzz}. */
    @Test
    void arbitraryImagesNeverThrow() {
        Fuzz.forAll(1000, r -> {
            byte[] img = Fuzz.bytes(r, 300);
            if (img.length >= 8) {
                img[0] = 1;
                int sum = 0;
                for (int i = 0; i < 7; i++) {
                    sum += img[i];
                }
                img[7] = (byte) -sum;
            }
            return img;
        }, FruInventory::parse);
    }
}
