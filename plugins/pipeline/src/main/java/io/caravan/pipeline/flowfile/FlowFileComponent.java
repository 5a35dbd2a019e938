package io.caravan.pipeline.flowfile;

import io.caravan.api.plugin.PluginContext;
import io.caravan.api.stage.OptionException;
import java.nio.file.Path;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code flowfile:<directory>} component: appends encoded flow records (bodies already
 * encoded, or FlowBatches it encodes itself with {@code format}) to rotating files that appear under their final name only once complete. One endpoint per directory URI;
 * see {@link FlowFileEndpoint}. File names take their time from the plugin context's clock, its
 * logger ({@code caravan.pipeline.flowfile} in the server) reports files closed and failures, and
 * its meters count bytes, files and write errors per endpoint.
 */
public final class FlowFileComponent extends DefaultComponent {
    private final PluginContext context;

    FlowFileComponent(PluginContext context) {
        this.context = context;
    }

    /**
     * Binds every parameter against the declared options ({@link FlowFileConfiguration#OPTIONS}),
     * so nothing is left for Camel's reflective binding and a bad one fails the endpoint before its
     * route starts, with a message that names the component and the option.
     */
    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        FlowFileConfiguration configuration;
        try {
            configuration = FlowFileConfiguration.of(remaining, parameters);
        } catch (OptionException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        parameters.clear();
        Path directory = Path.of(configuration.directory()).toAbsolutePath().normalize();
        return new FlowFileEndpoint(uri, this, configuration, new FlowFileWriter(FlowFileConstants.SCHEME + ":"
                + directory, directory, configuration, context, FlowFileWriter.FILES, System::nanoTime));
    }

    @Override
    protected boolean useIntrospectionOnEndpoint() {
        return false;
    }
}
