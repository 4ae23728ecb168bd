package io.yoo.installer.core.descriptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.yoo.installer.api.net.Ipv4;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code server.adminBind} and {@code server.tls} (issue #21): parsed, defaulted, and refused with file:line. */
class AdminSurfaceDescriptorTest {
    private static ClusterDescriptor parse(String server) throws DescriptorException {
        return DescriptorLoaderTest.parse(DescriptorLoaderTest.THREE_MACHINES + "server:\n" + server);
    }

    @Test
    void without_admin_bind_everything_stays_on_one_listener() throws Exception {
        assertThat(DescriptorLoaderTest.parse(DescriptorLoaderTest.THREE_MACHINES).server().admin()).isEmpty();
    }

    @Test
    void admin_bind_alone_uses_the_http_port_and_plain_http() throws Exception {
        AdminSurface a = parse("  httpPort: 8081\n  adminBind: 127.0.0.1\n").server().admin().orElseThrow();
        assertThat(a.bind()).isEqualTo(Ipv4.parse("127.0.0.1"));
        assertThat(a.port()).isEqualTo(8081);
        assertThat(a.tls()).isEmpty();
    }

    @Test
    void admin_bind_with_a_port_and_a_pem_pair() throws Exception {
        AdminSurface a = parse("  adminBind: \"10.0.0.5:8443\"\n  tls: { cert: tls/admin.crt, key: tls/admin.key }\n")
                .server().admin().orElseThrow();
        assertThat(a.port()).isEqualTo(8443);
        assertThat(a.tls().orElseThrow().cert()).contains(Path.of("/srv/cluster/tls/admin.crt"));
        assertThat(a.tls().orElseThrow().key()).contains(Path.of("/srv/cluster/tls/admin.key"));
    }

    @Test
    void a_keystore_with_its_password_from_the_environment() throws Exception {
        AdminSurface.Tls t = parse("  adminBind: 127.0.0.1\n  tls: { keystore: /etc/yoo/admin.p12, passwordEnv: YOO_TLS_PASSWORD }\n")
                .server().admin().orElseThrow().tls().orElseThrow();
        assertThat(t.keystore()).contains(Path.of("/etc/yoo/admin.p12"));
        assertThat(t.passwordEnv()).contains("YOO_TLS_PASSWORD");
    }

    @Test
    void bad_values_name_file_line_and_field() {
        assertThatThrownBy(() -> parse("  adminBind: mgmt.example\n"))
                .hasMessageContaining("cluster.yml:12:14: server.adminBind:");
        assertThatThrownBy(() -> parse("  adminBind: \"127.0.0.1:99999\"\n"))
                .hasMessageContaining("cluster.yml:12:14: server.adminBind: '127.0.0.1:99999': the port after ':' must be 1-65535");
        assertThatThrownBy(() -> parse("  tls: { cert: a.crt, key: a.key }\n"))
                .hasMessageContaining("cluster.yml:12:").hasMessageContaining("server.tls: TLS is for the admin listener: set server.adminBind too");
        assertThatThrownBy(() -> parse("  adminBind: 127.0.0.1\n  tls: { cert: a.crt }\n"))
                .hasMessageContaining("server.tls.cert: 'cert' needs 'key' too");
        assertThatThrownBy(() -> parse("  adminBind: 127.0.0.1\n  tls: { keystore: a.p12, cert: a.crt, key: a.key }\n"))
                .hasMessageContaining("server.tls.keystore: give either a keystore or a PEM cert and key, not both");
        assertThatThrownBy(() -> parse("  adminBind: 127.0.0.1\n  tls: { keystore: a.p12, passwordEnv: \"hunter2!\" }\n"))
                .hasMessageContaining("server.tls.passwordEnv: 'hunter2!' is not an environment variable name");
        assertThatThrownBy(() -> parse("  adminBind: 127.0.0.1\n  tls: { pem: a.pem }\n"))
                .hasMessageContaining("server.tls.pem: unknown key 'pem'");
    }
}
