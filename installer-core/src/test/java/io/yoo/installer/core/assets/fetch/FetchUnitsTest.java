package io.yoo.installer.core.assets.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Proxy;
import org.junit.jupiter.api.Test;

class FetchUnitsTest {

    @Test
    void proxyUrlsLikeAllProxy() {
        assertThat(ProxySettings.parse("http://10.0.0.1:3128")).isEqualTo(new ProxySettings(Proxy.Type.HTTP, "10.0.0.1", 3128));
        assertThat(ProxySettings.parse("socks5://127.0.0.1:1080")).isEqualTo(new ProxySettings(Proxy.Type.SOCKS, "127.0.0.1", 1080));
        assertThat(ProxySettings.parse("socks5h://proxy.lan")).isEqualTo(new ProxySettings(Proxy.Type.SOCKS, "proxy.lan", 1080));
        assertThat(ProxySettings.parse("http://proxy.lan").port()).isEqualTo(3128);
        assertThatThrownBy(() -> ProxySettings.parse("ftp://x:1")).hasMessageContaining("unsupported scheme 'ftp'");
        assertThatThrownBy(() -> ProxySettings.parse("127.0.0.1:1080")).hasMessageContaining("127.0.0.1:1080");
    }

    @Test
    void progressLineShowsPercentRateAndEta() {
        long t0 = 1_000_000_000L;
        TransferMeter m = new TransferMeter("kubelet", 100L << 20, 0, t0);
        m.add(25L << 20);
        String line = m.line(t0 + 5_000_000_000L, 20); // 25 MiB in 5 s
        assertThat(line).startsWith("kubelet").contains("[====>               ]").contains(" 25%").contains("25.0 MiB/100.0 MiB")
                .contains("5.0 MiB/s").contains("ETA 0:15");
    }

    @Test
    void resumedBytesDoNotInflateTheRate() {
        long t0 = 0;
        TransferMeter m = new TransferMeter("img", 1000, 900, t0);
        m.add(50);
        assertThat(m.rate(t0 + 1_000_000_000L)).isEqualTo(50.0);
        assertThat(m.eta(t0 + 1_000_000_000L).toSeconds()).isEqualTo(1);
    }

    @Test
    void unknownTotalHasNoEta() {
        TransferMeter m = new TransferMeter("x", -1, 0, 0);
        m.add(2048);
        assertThat(m.eta(1_000_000_000L)).isNull();
        assertThat(m.line(1_000_000_000L, 10)).contains("2.0 KiB").doesNotContain("ETA");
    }
}
