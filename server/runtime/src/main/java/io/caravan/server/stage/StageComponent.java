package io.caravan.server.stage;

import io.caravan.api.stage.OptionException;
import io.caravan.api.stage.StageOptions;
import io.caravan.server.metrics.MeterLeases;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code stage:<name>?<options>} component: every stage of every plugin, reached through one
 * scheme. Options are bound and validated against the stage's declared {@code OptionSpec}s when
 * the endpoint is created, so a bad option fails the route before it starts.
 */
public final class StageComponent extends DefaultComponent {
    public static final String SCHEME = "stage";

    private final StageRegistry registry;
    private final MeterRegistry meters;
    private final MeterLeases leases;
    private final Clock clock;
    private final Path dataRoot;

    /**
     * @param leases   the server's record of plugin meters (shared with the plugins' component and bean contexts)
     * @param dataRoot where plugins keep state: {@code caravan.data.dir}
     */
    public StageComponent(StageRegistry registry, MeterLeases leases, Clock clock, Path dataRoot) {
        this.registry = registry;
        this.meters = leases.registry();
        this.leases = leases;
        this.clock = clock;
        this.dataRoot = dataRoot;
    }

    /** A stage component whose plugin meters share no registry with other contexts (tests). */
    public StageComponent(StageRegistry registry, MeterRegistry meters, Clock clock, Path dataRoot) {
        this(registry, new MeterLeases(meters), clock, dataRoot);
    }

    /**
     * Endpoints are created while their route is: an unknown stage or a refused option fails that
     * route with a {@link StageSetupException} naming the route, the stage and the option.
     */
    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        String routeId = getCamelContext().getCamelContextExtension().getCreateRoute();
        RegisteredStage stage = registry.find(remaining).orElseThrow(() -> new StageSetupException(routeId,
                "unknown stage '" + remaining + "'; stages available: "
                        + (registry.names().isEmpty() ? "(none: no plugin contributes a stage)" : String.join(", ", registry.names())),
                null));
        Map<String, Object> raw = new LinkedHashMap<>(parameters);
        StageOptions options;
        try {
            options = StageOptions.bind(stage.name(), stage.provider().options(), raw);
        } catch (OptionException e) {
            throw new StageSetupException(routeId, e.getMessage(), e);
        }
        // Every parameter belongs to the stage; none is left for Camel's reflective binding.
        parameters.clear();
        return new StageEndpoint(uri, this, stage, options, new StageMeters(meters, stage.name()),
                new MicrometerStageContext(stage, clock, leases, dataRoot), routeId);
    }

    @Override
    protected boolean useIntrospectionOnEndpoint() {
        return false;
    }
}
