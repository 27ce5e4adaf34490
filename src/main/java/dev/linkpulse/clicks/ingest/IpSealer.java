package dev.linkpulse.clicks.ingest;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Seals full IPs for the journal with a key that lives only in this process's memory, so no full IP
 * is ever written to disk and none can be read back once the process is gone (only a click whose
 * visitor hash could not be computed at once needs its IP later; see {@link IpDerived}). AES-GCM
 * with a nonce that never repeats under the key (a random prefix and a counter), so sealing needs
 * no random numbers per click. Not thread-safe: the journal calls it under its lock.
 */
final class IpSealer {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKey key;
    private final String keyId;
    private final int noncePrefix;
    private final Cipher sealer;
    private long nonceCounter;

    IpSealer() {
        try {
            KeyGenerator generator = KeyGenerator.getInstance("AES");
            generator.init(256, RANDOM);
            this.key = generator.generateKey();
            byte[] id = new byte[8];
            RANDOM.nextBytes(id);
            this.keyId = HexFormat.of().formatHex(id);
            this.noncePrefix = RANDOM.nextInt();
            this.sealer = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Names this process's key in the journal, so another process knows not to try. */
    String keyId() {
        return keyId;
    }

    String seal(String ip) {
        try {
            byte[] iv = ByteBuffer.allocate(12).putInt(noncePrefix).putLong(++nonceCounter).array();
            sealer.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
            byte[] sealed = sealer.doFinal(ip.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(ByteBuffer.allocate(12 + sealed.length).put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The IP, when this process sealed it under {@code sealedWith}; empty otherwise (or when tampered with). */
    Optional<String> unseal(String sealed, String sealedWith) {
        if (sealed == null || !keyId.equals(sealedWith)) {
            return Optional.empty();
        }
        try {
            byte[] all = Base64.getDecoder().decode(sealed);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, all, 0, 12));
            return Optional.of(new String(cipher.doFinal(all, 12, all.length - 12), StandardCharsets.UTF_8));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
