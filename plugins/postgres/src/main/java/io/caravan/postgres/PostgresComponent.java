package io.caravan.postgres;

import io.caravan.api.plugin.PluginContext;
import io.caravan.api.stage.OptionException;
import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/** The {@code postgres:<table>} component: flow records into a PostgreSQL table; see {@link PostgresEndpoint}. */
public final class PostgresComponent extends DefaultComponent {
    private final PluginContext context;

    PostgresComponent(PluginContext context) {
        this.context = context;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        PostgresConfiguration configuration;
        try {
            configuration = PostgresConfiguration.of(remaining, parameters);
            new FlowTable(configuration.table());
        } catch (OptionException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        parameters.clear();
        return new PostgresEndpoint(uri, this, configuration, context);
    }

    /**
     * The driver registers itself with java.sql.DriverManager, which would keep this plugin's class
     * loader alive after an unload; the component stops when its plugin goes.
     */
    @Override
    protected void doStop() throws Exception {
        if (org.postgresql.Driver.isRegistered()) {
            org.postgresql.Driver.deregister();
        }
        super.doStop();
    }

    @Override
    protected boolean useIntrospectionOnEndpoint() {
        return false;
    }
}
