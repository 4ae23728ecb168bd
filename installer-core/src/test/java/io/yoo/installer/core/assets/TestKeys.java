package io.yoo.installer.core.assets;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Date;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.crypto.generators.RSAKeyPairGenerator;
import org.bouncycastle.crypto.params.RSAKeyGenerationParameters;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPKeyRingGenerator;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.operator.PGPDigestCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;
import org.bouncycastle.openpgp.operator.bc.BcPGPKeyPair;

/** An OpenPGP signing key generated for a test (stands in for the Flatcar image signing key). */
public final class TestKeys {
    private final PGPKeyPair pair;
    private final byte[] armoredPublic;

    private TestKeys(PGPKeyPair pair, byte[] armoredPublic) {
        this.pair = pair;
        this.armoredPublic = armoredPublic;
    }

    public static TestKeys generate(String uid) {
        try {
            RSAKeyPairGenerator kpg = new RSAKeyPairGenerator();
            kpg.init(new RSAKeyGenerationParameters(BigInteger.valueOf(0x10001), new SecureRandom(), 2048, 12));
            PGPKeyPair kp = new BcPGPKeyPair(PGPPublicKey.RSA_GENERAL, kpg.generateKeyPair(), new Date(System.currentTimeMillis() - 60_000));
            PGPDigestCalculator sha1 = new BcPGPDigestCalculatorProvider().get(HashAlgorithmTags.SHA1);
            PGPKeyRingGenerator gen = new PGPKeyRingGenerator(PGPSignature.POSITIVE_CERTIFICATION, kp, uid, sha1, null, null,
                    new BcPGPContentSignerBuilder(PGPPublicKey.RSA_GENERAL, HashAlgorithmTags.SHA256), null);
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            try (ArmoredOutputStream aos = new ArmoredOutputStream(bos)) {
                gen.generatePublicKeyRing().encode(aos);
            }
            return new TestKeys(kp, bos.toByteArray());
        } catch (PGPException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public byte[] publicKey() {
        return armoredPublic.clone();
    }

    /** A binary detached signature of {@code data}, as Flatcar's {@code .sig} files are. */
    @SuppressWarnings("deprecation")
    public byte[] sign(byte[] data) {
        try {
            PGPSignatureGenerator sg = new PGPSignatureGenerator(new BcPGPContentSignerBuilder(PGPPublicKey.RSA_GENERAL, HashAlgorithmTags.SHA256));
            sg.init(PGPSignature.BINARY_DOCUMENT, pair.getPrivateKey());
            sg.update(data);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            sg.generate().encode(out);
            return out.toByteArray();
        } catch (PGPException | IOException e) {
            throw new UncheckedIOException(new IOException(e));
        }
    }
}
