package io.caravan.skydive.analyzer;

import java.net.URI;
import java.util.Objects;

/**
 * Where an analyzer is and how to log in to it. The password is never part of {@link #toString()},
 * {@link #address()} or any URI made here, so these can go to logs, meters and status.
 *
 * @param host     host name or address (IPv6 without brackets)
 * @param port     the analyzer's HTTP port (8082 by default in Skydive)
 * @param tls      https/wss instead of http/ws
 * @param username "" for an analyzer without auth
 * @param password the user's password
 * @param authMode Basic on every request, or POST /login and its cookie
 */
public record Analyzer(String host, int port, boolean tls, String username, String password, AuthMode authMode) {

    public Analyzer {
        Objects.requireNonNull(host, "host");
        username = username == null ? "" : username;
        password = password == null ? "" : password;
        authMode = authMode == null ? AuthMode.BASIC : authMode;
    }

    /** {@code host:port}, IPv6 in brackets: how logs, meters and status name the analyzer. */
    public String address() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    public boolean hasCredentials() {
        return !username.isEmpty();
    }

    /** {@code ws[s]://host:port<path>}. */
    public URI webSocketUri(String path) {
        return URI.create((tls ? "wss://" : "ws://") + address() + path);
    }

    /** {@code http[s]://host:port<path>}. */
    public URI httpUri(String path) {
        return URI.create((tls ? "https://" : "http://") + address() + path);
    }

    @Override
    public String toString() {
        return "Analyzer[" + address() + (tls ? ", tls" : "") + (hasCredentials() ? ", user " + username + ", "
                + authMode.name().toLowerCase(java.util.Locale.ROOT) : "") + "]";
    }
}
