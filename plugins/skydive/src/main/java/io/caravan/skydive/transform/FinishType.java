package io.caravan.skydive.transform;

/** Skydive's {@code FinishType} (a number in the flow JSON) and its secadvisor name. */
enum FinishType {
    NOT_FINISHED(""), TIMEOUT("Timeout"), TCP_FIN("SYN_FIN"), TCP_RST("SYN_RST");

    private final String secadvisorName;

    FinishType(String secadvisorName) {
        this.secadvisorName = secadvisorName;
    }

    /** The name in the secadvisor record; "" when the flow is not finished. */
    String secadvisorName() {
        return secadvisorName;
    }

    /** 0..3 as in flow.proto; an unknown number is treated as finished by timeout (the flow did end). */
    static FinishType of(long value) {
        return switch ((int) value) {
            case 0 -> NOT_FINISHED;
            case 2 -> TCP_FIN;
            case 3 -> TCP_RST;
            default -> TIMEOUT;
        };
    }
}
