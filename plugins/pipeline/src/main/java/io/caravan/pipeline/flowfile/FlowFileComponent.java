package io.caravan.pipeline.flowfile;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code flowfile:<directory>} component: appends already-encoded flow records to rotating
 * files that appear under their final name only once complete. One endpoint per directory URI;
 * see {@link FlowFileEndpoint}.
 */
public final class FlowFileComponent extends DefaultComponent {

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        FlowFileConfiguration configuration = new FlowFileConfiguration();
        configuration.setDirectory(remaining);
        setProperties(configuration, parameters);
        configuration.validate();
        Path directory = Path.of(configuration.getDirectory()).toAbsolutePath().normalize();
        return new FlowFileEndpoint(uri, this, configuration, directory, Clock.systemUTC());
    }
}
