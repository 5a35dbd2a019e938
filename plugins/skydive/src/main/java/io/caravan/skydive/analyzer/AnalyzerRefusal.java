package io.caravan.skydive.analyzer;

import java.io.IOException;

/**
 * The analyzer answered with an error status: the message names the cause plainly (wrong
 * credentials, not authorized, host id already connected), never a credential.
 */
public final class AnalyzerRefusal extends IOException {
    private final int status;

    public AnalyzerRefusal(int status, String what) {
        super(what + ": " + explain(status));
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** Credentials or permissions: retrying soon will not help. */
    public boolean isAuthFailure() {
        return status == 401 || status == 403;
    }

    /** The words for an analyzer's answer, as operators need them. */
    public static String explain(int status) {
        return switch (status) {
            case 400 -> "400 bad request (the analyzer wants X-Client-Type and an X-Client-Protocol of json or"
                    + " protobuf)";
            case 401 -> "401 wrong credentials (check username and password)";
            case 403 -> "403 not authorized (the user may not subscribe to /ws/subscriber/flow or use this API)";
            case 404 -> "404 not found (is this a Skydive analyzer?)";
            case 409 -> "409 host id already connected (another subscriber uses the same hostId; give each instance"
                    + " its own, or wait for the analyzer to drop the old connection)";
            default -> status + " from the analyzer";
        };
    }
}
