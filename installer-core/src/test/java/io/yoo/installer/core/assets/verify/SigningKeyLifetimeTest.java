package io.yoo.installer.core.assets.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Date;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.crypto.generators.RSAKeyPairGenerator;
import org.bouncycastle.crypto.params.RSAKeyGenerationParameters;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPKeyRingGenerator;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;
import org.bouncycastle.openpgp.operator.bc.BcPGPKeyPair;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flatcar rotates signing subkeys yearly: a release signed while its subkey was valid must still
 * verify after the subkey expired, and a signature dated after expiry must not.
 */
class SigningKeyLifetimeTest {
    private static final long DAY = 86_400_000L;
    private static PGPKeyPair pair;
    private static byte[] publicKey;

    @TempDir
    Path dir;

    /** A key created 10 days ago that expired after 5 days (like an old Flatcar subkey). */
    @BeforeAll
    static void key() throws Exception {
        RSAKeyPairGenerator kpg = new RSAKeyPairGenerator();
        kpg.init(new RSAKeyGenerationParameters(BigInteger.valueOf(0x10001), new SecureRandom(), 2048, 12));
        long created = System.currentTimeMillis() - 10 * DAY;
        pair = new BcPGPKeyPair(PGPPublicKey.RSA_GENERAL, kpg.generateKeyPair(), new Date(created));
        PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
        hashed.setKeyExpirationTime(false, 5 * 86_400L);
        hashed.setSignatureCreationTime(false, new Date(created));
        PGPKeyRingGenerator gen = new PGPKeyRingGenerator(PGPSignature.POSITIVE_CERTIFICATION, pair, "Old <old@example.test>",
                new BcPGPDigestCalculatorProvider().get(HashAlgorithmTags.SHA1), hashed.generate(), null,
                new BcPGPContentSignerBuilder(PGPPublicKey.RSA_GENERAL, HashAlgorithmTags.SHA256), null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        gen.generatePublicKeyRing().encode(out);
        publicKey = out.toByteArray();
    }

    @SuppressWarnings("deprecation")
    private static byte[] signAt(byte[] data, Date when) throws Exception {
        PGPSignatureGenerator sg = new PGPSignatureGenerator(new BcPGPContentSignerBuilder(PGPPublicKey.RSA_GENERAL, HashAlgorithmTags.SHA256));
        sg.init(PGPSignature.BINARY_DOCUMENT, pair.getPrivateKey());
        PGPSignatureSubpacketGenerator sub = new PGPSignatureSubpacketGenerator();
        sub.setSignatureCreationTime(false, when);
        sub.setIssuerKeyID(false, pair.getKeyID());
        sg.setHashedSubpackets(sub.generate());
        sg.update(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        sg.generate().encode(out);
        return out.toByteArray();
    }

    @Test
    void keyReallyHasAnExpiry() throws Exception {
        var ring = new org.bouncycastle.openpgp.PGPPublicKeyRing(publicKey, new org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator());
        assertThat(ring.getPublicKey().getValidSeconds()).isEqualTo(5 * 86_400L);
    }

    /** A signature claiming to come from one of the real Flatcar key's subkeys (made with our key). */
    @SuppressWarnings("deprecation")
    private static byte[] claimingKeyId(long keyId, byte[] data) throws Exception {
        var fake = new org.bouncycastle.openpgp.PGPPrivateKey(keyId, pair.getPrivateKey().getPublicKeyPacket(),
                pair.getPrivateKey().getPrivateKeyDataPacket());
        PGPSignatureGenerator sg = new PGPSignatureGenerator(new BcPGPContentSignerBuilder(PGPPublicKey.RSA_GENERAL, HashAlgorithmTags.SHA256));
        sg.init(PGPSignature.BINARY_DOCUMENT, fake);
        sg.update(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        sg.generate().encode(out);
        return out.toByteArray();
    }

    @Test
    void flatcarSubkeyRevokedAsCompromisedIsRefused() throws Exception {
        Path f = Files.write(dir.resolve("x.bin"), new byte[] {1});
        // 603443A1D0FC498C: revoked 2018-09-26, "Key has been compromised"
        assertThatThrownBy(() -> OpenPgpVerifier.flatcar().verify(f, claimingKeyId(0x603443A1D0FC498CL, new byte[] {1})))
                .hasMessageContaining("603443A1D0FC498C is revoked");
    }

    @Test
    void forgedSignatureInTheNameOfTheCurrentFlatcarSubkeyIsBad() throws Exception {
        Path f = Files.write(dir.resolve("y.bin"), new byte[] {1});
        // 32DA80F91EF52974: the signing subkey valid 2025-03-07 .. 2027-03-08
        assertThatThrownBy(() -> OpenPgpVerifier.flatcar().verify(f, claimingKeyId(0x32DA80F91EF52974L, new byte[] {1})))
                .hasMessageContaining("BAD signature by 32DA80F91EF52974");
    }

    @Test
    void signatureMadeWhileTheKeyWasValidStillVerifies() throws Exception {
        Path f = Files.write(dir.resolve("old-release.bin"), new byte[] {1, 2, 3});
        byte[] sig = signAt(new byte[] {1, 2, 3}, new Date(System.currentTimeMillis() - 8 * DAY));
        assertThat(OpenPgpVerifier.of(publicKey).verify(f, sig)).isEqualTo(String.format("%016X", pair.getKeyID()));
    }

    @Test
    void signatureMadeAfterTheKeyExpiredIsRejected() throws Exception {
        Path f = Files.write(dir.resolve("new-release.bin"), new byte[] {1, 2, 3});
        byte[] sig = signAt(new byte[] {1, 2, 3}, new Date(System.currentTimeMillis() - 1 * DAY));
        assertThatThrownBy(() -> OpenPgpVerifier.of(publicKey).verify(f, sig)).isInstanceOf(VerificationException.class)
                .hasMessageContaining("had expired when the signature was made");
    }
}
