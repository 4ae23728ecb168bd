package io.yoo.installer.http.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The one Authorization: Bearer reader, as the admin API and the progress events always read it. */
class BearerTokenTest {

    @Test
    void schemeIsCaseInsensitiveAndTheTokenIsStripped() {
        assertThat(BearerToken.parse("Bearer abc")).contains("abc");
        assertThat(BearerToken.parse("bEaReR   abc \t")).contains("abc");
        assertThat(BearerToken.parse("Bearer ")).contains("");
    }

    @Test
    void anythingElseIsNoBearerToken() {
        assertThat(BearerToken.parse(null)).isEmpty();
        assertThat(BearerToken.parse("Basic YWI6Y2Q=")).isEmpty();
        assertThat(BearerToken.parse("Bearer")).isEmpty();
        assertThat(BearerToken.parse("Bearerabc")).isEmpty();
        assertThat(BearerToken.parse("")).isEmpty();
    }
}
