package io.caravan.distribution;

import io.caravan.testkit.PluginJarBuilder;
import java.nio.file.Path;

/** A plugin whose stage {@code exit-now} calls {@code System.exit(3)} on every message. */
final class ExitingPlugin {
    static final String STAGE = "exit-now";

    private ExitingPlugin() {
    }

    static Path build(Path out) {
        return PluginJarBuilder.plugin("exiter", "1.0.0").source("io.test.exit.ExitStage", """
                package io.test.exit;

                import io.caravan.api.stage.*;
                import java.util.List;
                import org.pf4j.Extension;

                @Extension
                public class ExitStage implements StageProvider<String, String> {
                    public String name() { return "exit-now"; }
                    public String description() { return "ends the JVM"; }
                    public Class<String> inputType() { return String.class; }
                    public Class<String> outputType() { return String.class; }
                    public List<OptionSpec> options() { return List.of(); }
                    public Stage<String, String> create(StageOptions o, StageContext c) {
                        return body -> { System.exit(3); return body; };
                    }
                }
                """).build(out);
    }

    /** A route that sends a message through the stage every 200 ms. */
    static String route(String id) {
        return """
                - route:
                    id: %s
                    from:
                      uri: timer:%s
                      parameters: {period: 200}
                      steps:
                        - setBody: {constant: tick}
                        - to: stage:exit-now
                """.formatted(id, id);
    }
}
