package io.caravan.vanflow.metrics;

/**
 * The Skupper 1.x label set of the flow metrics (spec §3.5). Sites are {@code <siteName>@_@<siteId>};
 * direction is {@code incoming} for the client-to-server flow and {@code outgoing} for its counterflow.
 */
public record FlowLabels(String sourceSite, String destSite, String address, String protocol, String direction,
                         String sourceProcess, String destProcess) {

    String[] tags() {
        return new String[] {"sourceSite", nz(sourceSite), "destSite", nz(destSite), "address", nz(address),
                "protocol", nz(protocol), "direction", nz(direction), "sourceProcess", nz(sourceProcess),
                "destProcess", nz(destProcess)};
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
