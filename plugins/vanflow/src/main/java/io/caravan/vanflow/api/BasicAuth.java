package io.caravan.vanflow.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The users of {@code caravan.vanflow.api.users} ({@code user:password,user2:password2}); empty means
 * reads are open. Passwords are kept only as SHA-256 digests, compared in constant time, and never
 * appear in {@link #toString()} or in errors.
 */
public final class BasicAuth {
    private final Map<String, byte[]> users = new LinkedHashMap<>();

    public BasicAuth(String spec) {
        if (spec == null || spec.isBlank()) {
            return;
        }
        int n = 0;
        for (String entry : spec.split(",")) {
            n++;
            String e = entry.trim();
            int colon = e.indexOf(':');
            if (colon <= 0 || colon == e.length() - 1) {
                throw new IllegalArgumentException("caravan.vanflow.api.users: entry " + n
                        + " is not user:password (passwords are not shown)");
            }
            users.put(e.substring(0, colon), digest(e.substring(colon + 1)));
        }
    }

    public boolean open() {
        return users.isEmpty();
    }

    /** The user an {@code Authorization} header proves, or null. */
    public String user(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return null;
        }
        String user = decoded.substring(0, colon);
        byte[] want = users.get(user);
        byte[] given = digest(decoded.substring(colon + 1));
        // Compare even for unknown users so timing does not tell which users exist.
        boolean ok = MessageDigest.isEqual(want == null ? new byte[given.length] : want, given) && want != null;
        return ok ? user : null;
    }

    private static byte[] digest(String password) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return open() ? "open" : "basic auth for " + users.keySet();
    }
}
