package io.caravan.skydive.classify;

import io.caravan.api.net.Cidr;
import java.util.List;

/**
 * The exporter's {@code subnet} rule over raw addresses: both inside {@code internal}, only the
 * source {@code egress}, only the destination {@code ingress}, else (or an address missing)
 * {@code other}. Immutable.
 */
final class SubnetClassifier {
    static final String INTERNAL = "internal";
    static final String EGRESS = "egress";
    static final String INGRESS = "ingress";
    static final String OTHER = "other";

    private final Cidr[] inside;

    SubnetClassifier(List<Cidr> inside) {
        this.inside = inside.toArray(new Cidr[0]);
    }

    String classify(byte[] src, byte[] dst) {
        if (src == null || dst == null) {
            return OTHER;
        }
        boolean a = inside(src);
        boolean b = inside(dst);
        if (a) {
            return b ? INTERNAL : EGRESS;
        }
        return b ? INGRESS : OTHER;
    }

    private boolean inside(byte[] address) {
        for (Cidr prefix : inside) {
            if (prefix.contains(address)) {
                return true;
            }
        }
        return false;
    }
}
