package dev.linkpulse.smartlinks;

import dev.linkpulse.http.ApiException;
import org.springframework.security.crypto.bcrypt.BCrypt;

/**
 * Link passwords (spec §6.9): 8 to 64 characters with at least one letter, kept only as a BCrypt
 * hash (spring-security-crypto, cost 10: tens of milliseconds per check, which with the per-IP
 * guess limit makes guessing slow).
 */
final class Passwords {

    static final int MIN = 8;
    static final int MAX = 64;
    private static final int COST = 10;

    private Passwords() {}

    /** The hash of a valid password, or a 400 naming {@code password}. */
    static String hash(String password) {
        int length = password.codePointCount(0, password.length());
        if (length < MIN || length > MAX) {
            throw ApiException.validation("password", "password must be " + MIN + " to " + MAX + " characters");
        }
        if (password.codePoints().noneMatch(Character::isLetter)) {
            throw ApiException.validation("password", "password must contain at least one letter");
        }
        if (password.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw ApiException.validation("password", "password must not contain control characters");
        }
        return BCrypt.hashpw(password, BCrypt.gensalt(COST));
    }

    /** True when {@code candidate} is the password; anything that could never have been one is false without hashing. */
    static boolean matches(String candidate, String hash) {
        if (candidate == null || candidate.isEmpty() || candidate.length() > 2 * MAX) {
            return false;
        }
        try {
            return BCrypt.checkpw(candidate, hash);
        } catch (IllegalArgumentException e) {
            return false; // over BCrypt's 72 bytes: longer than any password we accept
        }
    }
}
