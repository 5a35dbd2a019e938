package io.caravan.netflow.encode;

/** The wire format a stream exports, named by the number in its header's version field. */
public enum ExportVersion {
    V5(5), V9(9), IPFIX(10);

    private final int number;

    ExportVersion(int number) {
        this.number = number;
    }

    /** The header's version field. */
    public int number() {
        return number;
    }

    /** The label used in metrics: {@code v5}, {@code v9}, {@code ipfix}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The version whose header carries {@code number} (5, 9 or 10). */
    public static ExportVersion of(int number) {
        for (ExportVersion v : values()) {
            if (v.number == number) {
                return v;
            }
        }
        throw new IllegalArgumentException("NetFlow version " + number + " is not 5, 9 or 10");
    }
}
