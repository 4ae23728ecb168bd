package io.yoo.installer.ipmi.codec;

import java.util.Locale;

/**
 * The RMCP+ cipher suites this client offers (IPMI 2.0 table 22-20, suite 17 from errata):
 * an authentication (RAKP) algorithm, an integrity algorithm and a confidentiality algorithm.
 */
public enum CipherSuite {
    /** RAKP-HMAC-SHA1, HMAC-SHA1-96, AES-CBC-128: what every IPMI 2.0 BMC supports. */
    SUITE_3(3, 0x01, 0x01, 0x01, "HmacSHA1", 20, 12),
    /** RAKP-HMAC-SHA256, HMAC-SHA256-128, AES-CBC-128: newer BMCs; some disable suite 3. */
    SUITE_17(17, 0x03, 0x04, 0x01, "HmacSHA256", 32, 16);

    public final int id;
    final int authAlgorithm;
    final int integrityAlgorithm;
    final int confidentialityAlgorithm;
    final String hmac;
    /** Length of RAKP 2/3 key exchange codes and of SIK, K1, K2. */
    final int hmacLength;
    /** Length of the RAKP 4 check value and of every packet's integrity code (truncated HMAC). */
    final int truncatedLength;

    CipherSuite(int id, int auth, int integrity, int conf, String hmac, int hmacLength, int truncatedLength) {
        this.id = id;
        this.authAlgorithm = auth;
        this.integrityAlgorithm = integrity;
        this.confidentialityAlgorithm = conf;
        this.hmac = hmac;
        this.hmacLength = hmacLength;
        this.truncatedLength = truncatedLength;
    }

    public static CipherSuite of(int id) {
        for (CipherSuite s : values()) {
            if (s.id == id) {
                return s;
            }
        }
        throw new IllegalArgumentException("cipher suite " + id + " is not supported: use 3 or 17");
    }

    public static CipherSuite parse(String text) {
        try {
            return of(Integer.parseInt(text.trim().toLowerCase(Locale.ROOT)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("cipher suite '" + text + "' is not a number: use 3 or 17");
        }
    }
}
