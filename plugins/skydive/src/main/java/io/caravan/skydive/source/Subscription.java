package io.caravan.skydive.source;

import java.io.ByteArrayOutputStream;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The listener of one WebSocket connection: puts each message together from its frames (up to
 * maxMessageBytes; a larger one is read to its end and dropped), hands it to the {@link Sink} on
 * the client's callback thread, then asks for the next. Pings are answered by the JDK client as it
 * reads them, which is why the next message is requested right after each one is handled: a route
 * that holds a message longer than the analyzer's pong deadline (7 s) gets disconnected, and the
 * consumer reconnects. The sink hears of the end of the connection once.
 */
final class Subscription implements WebSocket.Listener {

    /** Where complete messages and the end of the connection go. */
    interface Sink {
        void text(String text);

        void binary(byte[] bytes, int length);

        void oversize(long size);

        /** The connection ended: closed by the analyzer (code, reason) or broken (error). Called once. */
        void ended(Subscription subscription, String why);
    }

    private final Sink sink;
    private final long maxBytes;
    private final AtomicBoolean ended = new AtomicBoolean();
    private final StringBuilder text = new StringBuilder();
    private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
    private long size;
    private boolean discarding;

    Subscription(Sink sink, long maxBytes) {
        this.sink = sink;
        this.maxBytes = maxBytes;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        size += data.length();
        if (!discarding && size > maxBytes) {
            discarding = true;
            text.setLength(0);
            text.trimToSize();
        }
        if (!discarding) {
            text.append(data);
        }
        if (last) {
            try {
                if (discarding) {
                    sink.oversize(size);
                } else {
                    sink.text(text.toString());
                }
            } finally {
                text.setLength(0);
                if (text.capacity() > 1 << 20) {
                    text.trimToSize();
                }
                size = 0;
                discarding = false;
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        size += data.remaining();
        if (!discarding && size > maxBytes) {
            discarding = true;
            binary.reset();
        }
        if (!discarding) {
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            binary.writeBytes(chunk);
        }
        if (last) {
            try {
                if (discarding) {
                    sink.oversize(size);
                } else {
                    byte[] all = binary.toByteArray();
                    sink.binary(all, all.length);
                }
            } finally {
                binary.reset();
                size = 0;
                discarding = false;
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        end(statusCode == 1006 ? "the connection dropped without a close frame (1006): the analyzer stopped or the"
                + " network failed" : "closed by the analyzer (" + statusCode + (reason == null || reason.isEmpty() ? ""
                : " " + reason) + ")");
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        end("connection lost: " + describe(error));
    }

    private void end(String why) {
        if (ended.compareAndSet(false, true)) {
            sink.ended(this, why);
        }
    }

    /** Marks the connection ended without telling the sink (the consumer closed it). */
    void abandon() {
        ended.set(true);
    }

    static String describe(Throwable error) {
        Throwable t = error;
        while ((t instanceof java.util.concurrent.CompletionException
                || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        String m = t.getMessage();
        if (t instanceof java.net.ConnectException && (m == null || m.isEmpty())) {
            return "connection refused (is the analyzer running and listening there?)";
        }
        if (t instanceof javax.net.ssl.SSLHandshakeException) {
            return "TLS handshake failed (is the analyzer's certificate, or its CA, in trustStore?): " + m;
        }
        if (t instanceof java.net.http.HttpConnectTimeoutException) {
            return "connect timed out";
        }
        return t.getClass().getSimpleName() + (m == null || m.isEmpty() ? "" : ": " + m);
    }
}
