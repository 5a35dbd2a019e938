package io.caravan.server.reload;

/** A route file could not be parsed or its routes could not start; the message is for operators. */
public class RouteFileException extends Exception {
    public RouteFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
