package io.yoo.installer.ipmi.codec;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The client side of RMCP+ session establishment (IPMI 2.0 sections 13.17-13.31), as a pure
 * state machine: Open Session Request/Response, then RAKP 1-4. It produces payloads to send and
 * consumes payloads received; the caller moves the bytes. On success {@link #crypto()} holds
 * the session keys and {@link #bmcSessionId()} the ID to put in every later packet.
 *
 * <p>Key exchange codes (K_UID = password, zero-padded to 20 bytes; K_G = K_UID: no BMC key):
 * RAKP2 = HMAC_KUID(SIDm|SIDc|Rm|Rc|GUIDc|ROLEm|ULENm|UNAMEm), RAKP3 = HMAC_KUID(Rc|SIDm|ROLEm|
 * ULENm|UNAMEm), SIK = HMAC_KG(Rm|Rc|ROLEm|ULENm|UNAMEm), RAKP4 = HMAC_SIK(Rm|SIDc|GUIDc)
 * truncated. SIDm is the console's session ID, SIDc the BMC's.
 */
public final class RakpHandshake {
    /** Privilege levels (IPMI 2.0 table 6-1). */
    public static final int PRIV_USER = 2;
    public static final int PRIV_OPERATOR = 3;
    public static final int PRIV_ADMINISTRATOR = 4;
    /** RAKP1 role bit: look the user up by name only (as ipmitool does by default). */
    private static final int NAME_ONLY_LOOKUP = 0x10;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final CipherSuite suite;
    private final byte[] user;
    private final byte[] kuid;
    private final int role;
    private final int tag;
    private final byte[] consoleSid = new byte[4];
    private final byte[] rm = new byte[16];
    private byte[] bmcSid;
    private byte[] rc;
    private byte[] guid;
    private byte[] sik;

    public RakpHandshake(CipherSuite suite, String username, String password, int privilege) {
        this.suite = suite;
        this.user = username.getBytes(StandardCharsets.UTF_8);
        byte[] pw = password.getBytes(StandardCharsets.UTF_8);
        if (user.length > 16) {
            throw new IllegalArgumentException("IPMI user names are at most 16 bytes");
        }
        if (pw.length > 20) {
            throw new IllegalArgumentException("IPMI 2.0 passwords are at most 20 bytes");
        }
        this.kuid = Arrays.copyOf(pw, 20);
        this.role = (privilege & 0x0F) | NAME_ONLY_LOOKUP;
        this.tag = RANDOM.nextInt(256);
        RANDOM.nextBytes(rm);
        int sid;
        do {
            sid = RANDOM.nextInt();
        } while (sid == 0);
        consoleSid[0] = (byte) sid;
        consoleSid[1] = (byte) (sid >>> 8);
        consoleSid[2] = (byte) (sid >>> 16);
        consoleSid[3] = (byte) (sid >>> 24);
    }

    public int consoleSessionId() {
        return Bytes.i32le(consoleSid, 0);
    }

    public int bmcSessionId() {
        if (bmcSid == null) {
            throw new IllegalStateException("no open session response yet");
        }
        return Bytes.i32le(bmcSid, 0);
    }

    /** The BMC's GUID as sent in RAKP 2 (the same bytes as Get System GUID on sane BMCs). */
    public byte[] bmcGuid() {
        return guid == null ? null : guid.clone();
    }

    public byte[] openSessionRequest() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(32);
        out.write(tag);
        out.write(role & 0x0F);
        out.write(0);
        out.write(0);
        out.writeBytes(consoleSid);
        writeAlgorithm(out, 0x00, suite.authAlgorithm);
        writeAlgorithm(out, 0x01, suite.integrityAlgorithm);
        writeAlgorithm(out, 0x02, suite.confidentialityAlgorithm);
        return out.toByteArray();
    }

    private static void writeAlgorithm(ByteArrayOutputStream out, int type, int algorithm) {
        out.writeBytes(new byte[] {(byte) type, 0, 0, 8, (byte) algorithm, 0, 0, 0});
    }

    public void openSessionResponse(byte[] p) throws IpmiCodecException, RakpException {
        Bytes.need(p, 0, 2, "Open Session Response");
        checkTagAndStatus(p, "Open Session Response");
        Bytes.need(p, 0, 36, "Open Session Response");
        if (!Arrays.equals(p, 4, 8, consoleSid, 0, 4)) {
            throw new IpmiCodecException("Open Session Response for another console session");
        }
        // three 8-byte algorithm payloads at 12, 20, 28: type byte first, algorithm at +4
        if (p[12] != 0 || (p[16] & 0x3F) != suite.authAlgorithm || p[20] != 1 || (p[24] & 0x3F) != suite.integrityAlgorithm
                || p[28] != 2 || (p[32] & 0x3F) != suite.confidentialityAlgorithm) {
            throw new RakpException("BMC answered with other algorithms than cipher suite " + suite.id, false);
        }
        bmcSid = Arrays.copyOfRange(p, 8, 12);
    }

    public byte[] rakp1() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(44);
        out.write(tag);
        out.writeBytes(new byte[3]);
        out.writeBytes(bmcSid);
        out.writeBytes(rm);
        out.write(role);
        out.writeBytes(new byte[2]);
        out.write(user.length);
        out.writeBytes(user);
        return out.toByteArray();
    }

    public void rakp2(byte[] p) throws IpmiCodecException, RakpException {
        Bytes.need(p, 0, 2, "RAKP 2");
        checkTagAndStatus(p, "RAKP 2");
        Bytes.need(p, 0, 40 + suite.hmacLength, "RAKP 2");
        if (!Arrays.equals(p, 4, 8, consoleSid, 0, 4)) {
            throw new IpmiCodecException("RAKP 2 for another console session");
        }
        rc = Arrays.copyOfRange(p, 8, 24);
        guid = Arrays.copyOfRange(p, 24, 40);
        byte[] code = Arrays.copyOfRange(p, 40, 40 + suite.hmacLength);
        byte[] expected = SessionCrypto.hmac(suite, kuid, concat(consoleSid, bmcSid, rm, rc, guid, roleAndName()));
        if (!MessageDigest.isEqual(code, expected)) {
            throw new RakpException("RAKP 2 key exchange code does not match: wrong password for this user", true);
        }
        sik = SessionCrypto.hmac(suite, kuid, concat(rm, rc, roleAndName()));
    }

    public byte[] rakp3() {
        byte[] code = SessionCrypto.hmac(suite, kuid, concat(rc, consoleSid, roleAndName()));
        return concat(new byte[] {(byte) tag, 0, 0, 0}, bmcSid, code);
    }

    public void rakp4(byte[] p) throws IpmiCodecException, RakpException {
        Bytes.need(p, 0, 2, "RAKP 4");
        checkTagAndStatus(p, "RAKP 4");
        Bytes.need(p, 0, 8 + suite.truncatedLength, "RAKP 4");
        byte[] icv = Arrays.copyOfRange(p, 8, 8 + suite.truncatedLength);
        byte[] expected = Arrays.copyOf(SessionCrypto.hmac(suite, sik, concat(rm, bmcSid, guid)), suite.truncatedLength);
        if (!MessageDigest.isEqual(icv, expected)) {
            throw new RakpException("RAKP 4 integrity check value does not match", false);
        }
    }

    public SessionCrypto crypto() {
        if (sik == null) {
            throw new IllegalStateException("handshake not complete");
        }
        return SessionCrypto.fromSik(suite, sik);
    }

    private byte[] roleAndName() {
        byte[] b = new byte[2 + user.length];
        b[0] = (byte) role;
        b[1] = (byte) user.length;
        System.arraycopy(user, 0, b, 2, user.length);
        return b;
    }

    private void checkTagAndStatus(byte[] p, String what) throws IpmiCodecException, RakpException {
        if ((p[0] & 0xFF) != tag) {
            throw new IpmiCodecException(what + ": message tag " + (p[0] & 0xFF) + " is not ours (" + tag + ")");
        }
        int status = p[1] & 0xFF;
        if (status != RakpStatus.OK) {
            throw new RakpException(what + ": BMC says " + RakpStatus.describe(status), RakpStatus.isCredentialProblem(status));
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** Test seam: the RAKP 2 a BMC holding {@code password} would send (used by codec tests). */
    byte[] bmcRakp2For(String password, byte[] bmcRandom, byte[] bmcGuid) {
        byte[] k = Arrays.copyOf(password.getBytes(StandardCharsets.UTF_8), 20);
        byte[] code = SessionCrypto.hmac(suite, k, concat(consoleSid, bmcSid, rm, bmcRandom, bmcGuid, roleAndName()));
        return concat(new byte[] {(byte) tag, 0, 0, 0}, consoleSid, bmcRandom, bmcGuid, code);
    }

    /** Test seam: the RAKP 4 a BMC holding the same SIK would send. */
    byte[] bmcRakp4() {
        byte[] icv = Arrays.copyOf(SessionCrypto.hmac(suite, sik, concat(rm, bmcSid, guid)), suite.truncatedLength);
        return concat(new byte[] {(byte) tag, 0, 0, 0}, consoleSid, icv);
    }
}
