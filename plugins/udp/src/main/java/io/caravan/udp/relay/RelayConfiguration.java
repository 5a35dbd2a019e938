package io.caravan.udp.relay;

import io.caravan.api.stage.OptionException;
import io.caravan.api.stage.OptionSpec;
import io.caravan.api.stage.OptionType;
import io.caravan.api.stage.StageOptions;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/**
 * The settings of one {@code relay:<name>?options} endpoint.
 *
 * @param name       the relay's name, from the URI's path (a metrics label)
 * @param targets    where every datagram is sent
 * @param keepSource whether datagrams keep the exporter's source address and port (needs CAP_NET_RAW)
 */
public record RelayConfiguration(String name, List<InetSocketAddress> targets, boolean keepSource) {
    static final String SCHEME = "relay";

    static final OptionSpec TARGETS = OptionSpec.required("targets", OptionType.HOST_PORT_LIST, "Collectors each datagram"
            + " is sent to, host:port,host:port ([v6]:port for IPv6).");
    static final OptionSpec KEEP_SOURCE = OptionSpec.bool("keepSource", true, "Send each datagram from the exporter's"
            + " address and port (a raw socket: needs CAP_NET_RAW, IPv4 only), so collectors see the real exporter. When"
            + " the socket cannot be opened the relay says why at start and sends from this host instead.");
    static final List<OptionSpec> OPTIONS = List.of(TARGETS, KEEP_SOURCE);

    static RelayConfiguration of(String remaining, Map<String, ?> parameters) throws OptionException {
        if (remaining == null || remaining.isBlank() || !remaining.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException(SCHEME + ": needs a name of letters, digits, '.', '_' or '-', as "
                    + SCHEME + ":<name>?targets=host:port; got '" + remaining + "'");
        }
        StageOptions o = StageOptions.bindComponent(SCHEME, OPTIONS, parameters);
        return new RelayConfiguration(remaining, o.getHostPorts(TARGETS.name()), o.getBoolean(KEEP_SOURCE.name()));
    }
}
