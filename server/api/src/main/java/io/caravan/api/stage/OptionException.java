package io.caravan.api.stage;

/** An option given to a stage is unknown, ill-typed, missing or inconsistent. The message names all of it. */
public class OptionException extends Exception {
    public OptionException(String message) {
        super(message);
    }
}
