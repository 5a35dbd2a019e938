package io.caravan.skydive.store;

import io.caravan.api.plugin.ComponentProvider;
import io.caravan.api.plugin.PluginContext;
import io.caravan.api.stage.OptionSpec;
import java.util.List;
import org.apache.camel.Component;
import org.pf4j.Extension;

/** Contributes the {@code skydive-store:} component. */
@Extension
public class StoreComponentProvider implements ComponentProvider {

    @Override
    public String scheme() {
        return StoreConstants.SCHEME;
    }

    @Override
    public String description() {
        return "The Skydive flow exporter's store, storeheader, encode, compress, account and write steps: groups"
                + " records per tag into objects and writes them to S3 (aws2-s3), files or stdout, retrying failures.";
    }

    @Override
    public List<OptionSpec> options() {
        return StoreConfiguration.OPTIONS;
    }

    @Override
    public Component create(PluginContext context) {
        return new StoreComponent(context);
    }
}
