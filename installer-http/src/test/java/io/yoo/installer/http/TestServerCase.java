package io.yoo.installer.http;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A test class whose every test runs against a fresh {@link TestServer} ({@link #s}) in its own
 * temporary directory, started before the test (and before the subclass's own {@code @BeforeEach})
 * and closed after it.
 */
abstract class TestServerCase {
    @TempDir
    Path dir;
    TestServer s;

    @BeforeEach
    final void startTestServer() throws Exception {
        s = new TestServer(dir);
    }

    @AfterEach
    final void closeTestServer() {
        if (s != null) {
            s.close();
        }
    }
}
