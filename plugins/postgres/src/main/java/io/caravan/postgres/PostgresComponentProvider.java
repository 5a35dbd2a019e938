package io.caravan.postgres;

import io.caravan.api.plugin.ComponentProvider;
import io.caravan.api.plugin.PluginContext;
import io.caravan.api.stage.OptionSpec;
import java.util.List;
import org.apache.camel.Component;
import org.pf4j.Extension;

/** Contributes the {@code postgres:} component. */
@Extension
public class PostgresComponentProvider implements ComponentProvider {

    @Override
    public String scheme() {
        return PostgresConfiguration.SCHEME;
    }

    @Override
    public String description() {
        return "Writes flow records into a PostgreSQL table with batched COPY, spooling to disk while the database is away.";
    }

    @Override
    public List<OptionSpec> options() {
        return PostgresConfiguration.OPTIONS;
    }

    @Override
    public Component create(PluginContext context) {
        return new PostgresComponent(context);
    }
}
