package io.caravan.pipeline.json;

/** A JSON line is well-formed JSON but not a flow record; the message says why (without the line number). */
final class JsonLineException extends Exception {
    JsonLineException(String message) {
        super(message);
    }
}
