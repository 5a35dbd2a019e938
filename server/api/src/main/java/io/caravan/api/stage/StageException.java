package io.caravan.api.stage;

/** Fails one message in a stage; the route goes on with the next. */
public class StageException extends Exception {
    public StageException(String message) {
        super(message);
    }

    public StageException(String message, Throwable cause) {
        super(message, cause);
    }
}
