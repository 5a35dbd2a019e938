package io.caravan.server.stage;

import io.caravan.api.stage.StageContext;
import io.caravan.server.metrics.MeterLeases;
import io.caravan.server.metrics.MicrometerPluginContext;
import java.nio.file.Path;
import java.time.Clock;

/** The {@link StageContext} a stage gets: its plugin's context with every meter tagged {@code stage=<name>}. */
final class MicrometerStageContext extends MicrometerPluginContext implements StageContext {
    private final String stageName;

    MicrometerStageContext(RegisteredStage stage, Clock clock, MeterLeases leases, Path dataRoot) {
        super(stage.pluginId(), clock, leases, dataRoot, "stage", stage.name());
        this.stageName = stage.name();
    }

    @Override
    public String stageName() {
        return stageName;
    }

    void removeMeters() {
        close();
    }
}
