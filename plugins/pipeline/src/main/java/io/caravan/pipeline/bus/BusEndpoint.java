package io.caravan.pipeline.bus;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.support.DefaultEndpoint;

/**
 * One topic, as a producer ({@code to: bus:<topic>}) or as one named subscriber
 * ({@code from: bus:<topic>?subscriber=<name>}).
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = BusConstants.SCHEME, title = "Bus",
        syntax = "bus:topic", category = {Category.CORE})
public final class BusEndpoint extends DefaultEndpoint {
    private final BusConfiguration configuration;

    BusEndpoint(String uri, BusComponent component, BusConfiguration configuration) {
        super(uri, component);
        this.configuration = configuration;
    }

    @Override
    public BusComponent getComponent() {
        return (BusComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        return new BusProducer(this, getComponent().topic(configuration.topic()));
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        if (configuration.subscriber().isBlank()) {
            throw new IllegalArgumentException(BusConstants.SCHEME + ":" + configuration.topic() + ": a consumer needs"
                    + " subscriber=<name>, unique per topic, as from: " + BusConstants.SCHEME + ":"
                    + configuration.topic() + "?subscriber=<name>");
        }
        BusConsumer consumer = new BusConsumer(this, processor, getComponent().topic(configuration.topic()),
                getComponent().stats(configuration.topic(), configuration.subscriber()));
        configureConsumer(consumer);
        return consumer;
    }

    public BusConfiguration getConfiguration() {
        return configuration;
    }
}
