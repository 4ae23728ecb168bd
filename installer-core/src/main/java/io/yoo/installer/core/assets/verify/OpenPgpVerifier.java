package io.yoo.installer.core.assets.verify;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.openpgp.PGPCompressedData;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;

/**
 * Verifies detached OpenPGP signatures (binary or ASCII-armoured {@code .sig}) against a fixed
 * set of trusted public keys, with BouncyCastle's lightweight API (no JCE provider to register).
 *
 * <p>Rules, chosen to match what {@code gpg --verify} with the Flatcar key accepts: the signature
 * must be a binary-document signature made by a key (or subkey) of the trusted rings; the signing
 * key must carry no revocation; and it must not have been expired when the signature was made
 * (Flatcar rotates signing subkeys yearly, so older releases are signed by now-expired subkeys).
 */
public final class OpenPgpVerifier {
    private final PGPPublicKeyRingCollection keys;

    private OpenPgpVerifier(PGPPublicKeyRingCollection keys) {
        this.keys = keys;
    }

    /** The Flatcar image signing key shipped with Yoo (fingerprint F88CFEDEFF29A5B4D9523864E25D9AED0593B34A). */
    public static OpenPgpVerifier flatcar() {
        try (InputStream in = OpenPgpVerifier.class.getResourceAsStream("/io/yoo/installer/core/assets/flatcar-image-signing-key.asc")) {
            if (in == null) {
                throw new IllegalStateException("the Flatcar image signing key resource is missing from the jar");
            }
            return of(in.readAllBytes());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the shipped Flatcar image signing key", e);
        }
    }

    /** Trusts the keys in an armoured or binary public key file (e.g. {@code --flatcar-key}). */
    public static OpenPgpVerifier fromFile(Path keyFile) throws IOException {
        try {
            return of(Files.readAllBytes(keyFile));
        } catch (IllegalArgumentException e) {
            throw new IOException(keyFile + ": " + e.getMessage(), e);
        }
    }

    public static OpenPgpVerifier of(byte[] publicKeys) {
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(publicKeys))) {
            PGPPublicKeyRingCollection rings = new PGPPublicKeyRingCollection(in, new BcKeyFingerprintCalculator());
            if (rings.size() == 0) {
                throw new IllegalArgumentException("no OpenPGP public key found");
            }
            return new OpenPgpVerifier(rings);
        } catch (IOException | PGPException e) {
            throw new IllegalArgumentException("not an OpenPGP public key: " + e.getMessage(), e);
        }
    }

    /** Fingerprints (hex, upper case) of the primary keys trusted. */
    public List<String> fingerprints() {
        List<String> out = new ArrayList<>();
        keys.getKeyRings().forEachRemaining(r -> out.add(HexFormat.of().withUpperCase().formatHex(r.getPublicKey().getFingerprint())));
        return out;
    }

    /**
     * @return the long key id (hex) of the key that made the good signature
     * @throws VerificationException if no signature in {@code signature} is a good one by a trusted key
     */
    public String verify(Path file, byte[] signature) throws VerificationException, IOException {
        List<PGPSignature> sigs = parse(signature);
        List<String> problems = new ArrayList<>();
        for (PGPSignature sig : sigs) {
            String keyId = String.format("%016X", sig.getKeyID());
            PGPPublicKey key = keys.getPublicKey(sig.getKeyID());
            if (key == null) {
                problems.add("made by unknown key " + keyId);
                continue;
            }
            if (sig.getSignatureType() != PGPSignature.BINARY_DOCUMENT) {
                problems.add("signature type " + sig.getSignatureType() + " is not a binary-document signature");
                continue;
            }
            if (key.hasRevocation()) {
                problems.add("signing key " + keyId + " is revoked");
                continue;
            }
            long valid = key.getValidSeconds();
            if (valid > 0 && sig.getCreationTime().getTime() > key.getCreationTime().getTime() + valid * 1000) {
                problems.add("signing key " + keyId + " had expired when the signature was made");
                continue;
            }
            try {
                sig.init(new BcPGPContentVerifierBuilderProvider(), key);
                try (InputStream in = Files.newInputStream(file)) {
                    byte[] buf = new byte[1 << 16];
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        sig.update(buf, 0, n);
                    }
                }
                if (sig.verify()) {
                    return keyId;
                }
                problems.add("BAD signature by " + keyId + " (file altered or signature for another file)");
            } catch (PGPException e) {
                problems.add("cannot check signature by " + keyId + ": " + e.getMessage());
            }
        }
        throw new VerificationException("no good signature: " + String.join("; ", problems));
    }

    private static List<PGPSignature> parse(byte[] signature) throws VerificationException {
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(signature))) {
            BcPGPObjectFactory f = new BcPGPObjectFactory(in);
            Object o = f.nextObject();
            if (o instanceof PGPCompressedData c) {
                f = new BcPGPObjectFactory(c.getDataStream());
                o = f.nextObject();
            }
            if (!(o instanceof PGPSignatureList list) || list.isEmpty()) {
                throw new VerificationException("the signature file holds no detached OpenPGP signature");
            }
            List<PGPSignature> out = new ArrayList<>();
            list.forEach(out::add);
            return out;
        } catch (IOException | PGPException | RuntimeException e) {
            throw new VerificationException("unreadable OpenPGP signature: " + e.getMessage(), e);
        }
    }
}
