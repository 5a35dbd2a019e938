package io.caravan.skydive.analyzer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** The TLS context for an analyzer with its own CA or a self-signed certificate. */
public final class TrustStores {
    private TrustStores() {
    }

    /**
     * An SSLContext trusting exactly the certificates of a PKCS12 or JKS trust store, or the JVM's
     * default context when {@code path} is empty.
     *
     * @throws IllegalArgumentException naming the file (never the password) when it cannot be read
     */
    public static SSLContext context(String path, String password) {
        try {
            if (path == null || path.isEmpty()) {
                return SSLContext.getDefault();
            }
            Path p = Path.of(path);
            if (!Files.isReadable(p)) {
                throw new IllegalArgumentException("trust store " + path + " does not exist or cannot be read");
            }
            KeyStore ks = KeyStore.getInstance(p.toFile(), password == null ? new char[0] : password.toCharArray());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("trust store " + path + " cannot be loaded (wrong password or not"
                    + " PKCS12/JKS?): " + e.getClass().getSimpleName(), e);
        }
    }
}
