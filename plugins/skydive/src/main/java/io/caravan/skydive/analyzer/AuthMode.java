package io.caravan.skydive.analyzer;

/** How Caravan proves who it is to the analyzer. */
public enum AuthMode {
    /** {@code Authorization: Basic base64(user:pass)} on every request. */
    BASIC,
    /** {@code POST /login} first, then the {@code authtoken} cookie it sets. */
    LOGIN
}
