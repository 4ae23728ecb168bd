package io.yoo.installer.core.assets.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ChecksumFileTest {
    static final String A256 = "a".repeat(64);
    static final String B256 = "b".repeat(64);
    static final String C512 = "c".repeat(128);

    @Test
    void bareDigestAsOnDlK8sIo() {
        assertThat(ChecksumFile.find(A256.toUpperCase() + "\n", "sha256", "kubelet")).contains(A256);
    }

    @Test
    void sha256sumLinesPickTheNamedFile() {
        String text = A256 + "  cni-plugins-linux-arm64-v1.6.2.tgz\n" + B256 + " *cni-plugins-linux-amd64-v1.6.2.tgz\n";
        assertThat(ChecksumFile.find(text, "sha256", "cni-plugins-linux-amd64-v1.6.2.tgz")).contains(B256);
        assertThat(ChecksumFile.find(text, "sha256", "other.tgz")).isEmpty();
    }

    @Test
    void flatcarDigestsOnlyTheSha512BlockCounts() {
        String text = "# MD5 HASH\n" + "d".repeat(32) + "  flatcar_production_image.bin.bz2\n"
                + "# SHA1 HASH\n" + "e".repeat(40) + "  flatcar_production_image.bin.bz2\n"
                + "# SHA512 HASH\n" + C512 + "  flatcar_production_image.bin.bz2\n";
        assertThat(ChecksumFile.find(text, "sha512", "flatcar_production_image.bin.bz2")).contains(C512);
        assertThat(ChecksumFile.find(text, "sha256", "flatcar_production_image.bin.bz2")).isEmpty();
    }

    @Test
    void wrongLengthDigestIsIgnored() {
        assertThat(ChecksumFile.find("abc  kubelet\n", "sha256", "kubelet")).isEmpty();
    }

    @Test
    void weakAlgorithmsAreRefused() {
        assertThatThrownBy(() -> ChecksumFile.find("", "md5", "x")).hasMessageContaining("unsupported digest md5");
    }
}
