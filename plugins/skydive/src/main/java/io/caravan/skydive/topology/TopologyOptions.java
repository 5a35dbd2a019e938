package io.caravan.skydive.topology;

import io.caravan.api.stage.OptionSpec;
import io.caravan.api.stage.OptionType;
import io.caravan.api.stage.StageOptions;
import io.caravan.skydive.analyzer.Analyzer;
import io.caravan.skydive.analyzer.AnalyzerClient;
import io.caravan.skydive.analyzer.AuthMode;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * The options every topology-using stage declares, once: where the analyzer's REST API is and how
 * to log in (the same credentials as the WebSocket source). Immutable.
 */
public final class TopologyOptions {
    public static final OptionSpec ANALYZER = OptionSpec.of("analyzer", OptionType.HOST_PORT, null,
            "The analyzer's REST API (host:port) for topology queries; unset: no lookups.");
    public static final OptionSpec TLS = OptionSpec.bool("tls", false,
            "Query the analyzer over https instead of http.");
    public static final OptionSpec USERNAME = OptionSpec.string("username", "",
            "User for Basic authentication on the analyzer; empty: none.");
    public static final OptionSpec PASSWORD = OptionSpec.string("password", "",
            "Password for Basic authentication on the analyzer (never logged or shown).");
    public static final OptionSpec TIMEOUT = OptionSpec.duration("timeout", "5s",
            "Connect and reply timeout of one topology query.").min("100ms").max("5m");

    /** The five specs, in the order stages list them. */
    public static final List<OptionSpec> SPECS = List.of(ANALYZER, TLS, USERNAME, PASSWORD, TIMEOUT);

    private TopologyOptions() {
    }

    /** Whether an analyzer is configured. */
    public static boolean configured(StageOptions options) {
        return options.getHostPort(ANALYZER.name()) != null;
    }

    /** A client for the configured analyzer; only call when {@link #configured}. */
    public static GremlinClient client(StageOptions options) {
        InetSocketAddress at = options.getHostPort(ANALYZER.name());
        Analyzer analyzer = new Analyzer(at.getHostString(), at.getPort(), options.getBoolean(TLS.name()),
                options.getString(USERNAME.name()), options.getString(PASSWORD.name()), AuthMode.BASIC);
        return new GremlinClient(new AnalyzerClient(analyzer, options.getDuration(TIMEOUT.name())));
    }
}
