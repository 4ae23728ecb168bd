package io.yoo.installer.core.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.yoo.installer.core.descriptor.ClusterDescriptor;
import io.yoo.installer.core.template.Templates;
import org.junit.jupiter.api.Test;

class TftpBootFilesTest {
    final ClusterDescriptor d = BootMenuRendererTest.descriptor(BootMenuRendererTest.DESCRIPTOR);
    final BootMenuRenderer renderer = new BootMenuRenderer(d, BootMenuRendererTest.TOKENS, Templates.builtIn());
    final TftpBootFiles files = new TftpBootFiles(renderer);

    String text(String path) {
        return files.file(path).orElseThrow(() -> new AssertionError("no virtual file " + path)).text();
    }

    @Test
    void per_mac_pxelinux_files_exist_for_every_nic_of_a_machine() {
        String expected = renderer.render("cp", ArtifactKind.PXELINUX).orElseThrow().text();
        assertThat(text("pxelinux.cfg/01-52-54-00-12-01-01")).isEqualTo(expected);
        assertThat(text("pxelinux.cfg/01-52-54-00-12-01-11")).isEqualTo(expected);
        assertThat(text("/pxelinux.cfg/01-52-54-00-12-01-01")).as("leading slash").isEqualTo(expected);
        assertThat(text("pxelinux.cfg/01-52-54-00-12-01-0A".replace("0A", "01"))).isEqualTo(expected);
    }

    @Test
    void pxelinux_finds_a_uuid_only_machine_by_uuid_in_either_byte_order_and_by_address() {
        assertThat(text("pxelinux.cfg/4a1f3c2e-7b77-4e2a-9c1d-000000000103")).contains("LABEL w-uuid");
        assertThat(text("pxelinux.cfg/2e3c1f4a-777b-2a4e-9c1d-000000000103")).contains("LABEL w-uuid");
        assertThat(text("pxelinux.cfg/0A0C0103")).contains("LABEL w-uuid");
    }

    @Test
    void shared_menus_are_served() {
        // allowUnknown is off here: the menu files say so (the menus themselves: UnknownMachineMenuTest)
        assertThat(text("pxelinux.cfg/default")).contains("LOCALBOOT -1");
        assertThat(text("grub/grub.cfg")).contains("net_default_mac");
    }

    @Test
    void grub_files_by_mac_and_by_address() {
        assertThat(text("grub/grub.cfg-01-52-54-00-12-01-02")).contains("Install w-cc");
        assertThat(text("grub/grub.cfg-0a0c0103")).contains("Install w-uuid");
    }

    @Test
    void anything_else_is_not_a_virtual_file() {
        assertThat(files.file("pxelinux.cfg/01-52-54-00-99-99-99")).isEmpty();
        assertThat(files.file("pxelinux.cfg/0A0C01")).as("address prefixes are left to the default menu").isEmpty();
        assertThat(files.file("pxelinux.cfg/../../etc/passwd")).isEmpty();
        assertThat(files.file("undionly.kpxe")).isEmpty();
        assertThat(files.file("grub/grub.cfg-01-" + "a".repeat(200))).isEmpty();
    }
}
