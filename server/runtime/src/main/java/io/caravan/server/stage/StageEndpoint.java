package io.caravan.server.stage;

import io.caravan.api.stage.OptionException;
import io.caravan.api.stage.Stage;
import io.caravan.api.stage.StageOptions;
import io.caravan.server.plugin.LoaderSwap;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;

/**
 * One configured stage. Builds the stage instance when started and closes it when stopped (the
 * route is removed or the plugin unloads). Producer only: a stage is never a route's source.
 */
public final class StageEndpoint extends DefaultEndpoint {
    private final RegisteredStage stage;
    private final StageOptions options;
    private final StageMeters meters;
    private final MicrometerStageContext context;
    /** The route whose creation made this endpoint (it starts with that route), for errors; may be null. */
    private final String routeId;
    private volatile Stage<Object, Object> instance;

    StageEndpoint(String uri, StageComponent component, RegisteredStage stage, StageOptions options,
                  StageMeters meters, MicrometerStageContext context, String routeId) {
        super(uri, component);
        this.stage = stage;
        this.options = options;
        this.meters = meters;
        this.context = context;
        this.routeId = routeId;
    }

    @Override
    public Producer createProducer() {
        return new StageProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("stage:" + stage.name() + " cannot start a route; use it as a 'to' step");
    }

    @Override
    @SuppressWarnings("unchecked")
    protected void doStart() throws Exception {
        super.doStart();
        try (LoaderSwap ignored = LoaderSwap.to(stage.loader())) {
            instance = (Stage<Object, Object>) stage.provider().create(options, context);
        } catch (OptionException e) {
            throw new StageSetupException(routeId, e.getMessage(), e);
        }
    }

    @Override
    protected void doStop() throws Exception {
        Stage<Object, Object> s = instance;
        instance = null;
        if (s != null) {
            try (LoaderSwap ignored = LoaderSwap.to(stage.loader())) {
                s.close();
            }
        }
        meters.remove();
        context.removeMeters();
        super.doStop();
    }

    /** The running stage's own status (see {@code Stage.status()}), read under its plugin's class loader. */
    public java.util.Map<String, Object> status() {
        Stage<Object, Object> s = instance;
        if (s == null) {
            return java.util.Map.of();
        }
        try (LoaderSwap ignored = LoaderSwap.to(stage.loader())) {
            return s.status();
        }
    }

    /**
     * Why the running stage works below par (see {@code Stage.degraded()}), read under its plugin's
     * class loader; a stage that fails to answer is reported as degraded with that failure.
     */
    public java.util.Optional<String> degraded() {
        Stage<Object, Object> s = instance;
        if (s == null) {
            return java.util.Optional.empty();
        }
        try (LoaderSwap ignored = LoaderSwap.to(stage.loader())) {
            java.util.Optional<String> reason = s.degraded();
            return reason == null ? java.util.Optional.empty() : reason;
        } catch (RuntimeException | LinkageError e) {
            return java.util.Optional.of("its degraded() check failed: " + e);
        }
    }

    RegisteredStage stage() {
        return stage;
    }

    Stage<Object, Object> instance() {
        return instance;
    }

    StageMeters meters() {
        return meters;
    }

    public String stageName() {
        return stage.name();
    }
}
