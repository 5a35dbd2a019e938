package io.caravan.skydive.encode;

/** The {@code encode} choices of the store. */
public enum EncodeType {
    JSON,
    CSV,
    SECADVISOR;

    /** The encoder of this type; {@code pretty} applies to the JSON ones. */
    public Encoder create(boolean pretty) {
        return switch (this) {
            case JSON -> new JsonEncoder(pretty);
            case CSV -> new CsvEncoder();
            case SECADVISOR -> new SecAdvisorEncoder(pretty);
        };
    }
}
