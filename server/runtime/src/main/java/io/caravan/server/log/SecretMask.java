package io.caravan.server.log;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.util.SensitiveUtils;

/**
 * The one place that hides secrets in text leaving the server: every admin view, HTTP error,
 * reload record and log line goes through {@link #mask}. A value is hidden when its key looks
 * like a secret: a key Camel itself treats as sensitive ({@code SensitiveUtils}), or any key
 * containing password, passphrase, secret, token, apikey, accesskey, credential, privatekey or
 * sasl.jaas.config, compared case-insensitively and ignoring {@code . - _}. Both {@code key=value}
 * (URIs, Camel's "Unknown parameters=[{key=value}]") and {@code key: value} (YAML and JSON echoed
 * in parse errors) are masked; quoted and {@code RAW(...)} values are masked whole.
 */
public final class SecretMask {
    public static final String MASK = "xxxxxx";

    private static final List<String> SECRET_PARTS = List.of("password", "passphrase", "passwd", "passcode", "secret",
            "token", "apikey", "accesskey", "accountkey", "credential", "privatekey", "sasljaasconfig", "sharedaccesskey",
            "connectionstring", "signature");
    private static final Set<String> CAMEL_SENSITIVE = SensitiveUtils.getSensitiveKeys();

    /** A key (letters, digits, {@code . - _}) not glued to a preceding key character, then {@code =} or {@code :}. */
    private static final Pattern PAIR = Pattern.compile(
            "(?<![A-Za-z0-9_.\\-])(\"?)([A-Za-z][A-Za-z0-9_.\\-]*)\\1(\\s*(?:=|:(?!//))\\s*)"
                    + "(RAW\\([^)]*\\)|RAW\\{[^}]*}|\"[^\"]*\"|'[^']*'|[^\\s&,;}\\])\"'<>\\\\]+)");

    private SecretMask() {
    }

    /** True when a value under this key is a secret. */
    public static boolean isSecretKey(String key) {
        String k = key.toLowerCase(Locale.ROOT).replace(".", "").replace("-", "").replace("_", "");
        if (CAMEL_SENSITIVE.contains(k)) {
            return true;
        }
        for (String part : SECRET_PARTS) {
            if (k.contains(part)) {
                return true;
            }
        }
        return false;
    }

    /** The text with the value of every secret-looking key replaced by {@value #MASK}; null stays null. */
    public static String mask(String text) {
        if (text == null || text.indexOf('=') < 0 && text.indexOf(':') < 0) {
            return text;
        }
        Matcher m = PAIR.matcher(text);
        StringBuilder out = null;
        int last = 0;
        int from = 0;
        while (from < text.length() && m.find(from)) {
            if (!isSecretKey(m.group(2)) || m.group(4).replace("\"", "").replace("'", "").equals(MASK)) {
                // Not a secret: look again right after its separator, where a secret may start ("parameters=[{password=...").
                from = m.end(3);
                continue;
            }
            if (out == null) {
                out = new StringBuilder(text.length());
            }
            String value = m.group(4);
            char quote = value.charAt(0);
            out.append(text, last, m.start(4));
            // Quotes stay, so masked JSON and YAML stay well-formed.
            out.append(quote == '"' || quote == '\'' ? quote + MASK + quote : MASK);
            last = m.end(4);
            from = last;
        }
        return out == null ? text : out.append(text, last, text.length()).toString();
    }
}
