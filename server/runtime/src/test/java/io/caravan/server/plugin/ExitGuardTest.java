package io.caravan.server.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.Origin;
import io.caravan.api.stage.Stage;
import io.caravan.api.stage.StageProvider;
import io.caravan.testkit.PluginJarBuilder;
import io.caravan.testkit.RecordingStageContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plugins that try to end the JVM are refused and named. The guard is installed once for this
 * test JVM (it refuses nothing but exits from plugin code); on a Java without a security manager
 * it cannot refuse, and these tests do not apply there (the distribution's tests cover naming).
 */
class ExitGuardTest {
    private static final List<ExitGuard.Attempt> ATTEMPTS = new CopyOnWriteArrayList<>();
    private static ExitGuard.Mode mode;

    @TempDir
    Path tmp;

    private PluginHost host;

    @BeforeAll
    static void installGuard() {
        mode = ExitGuard.install(true, ATTEMPTS::add);
    }

    @BeforeEach
    void setUp() throws IOException {
        Assumptions.assumeTrue(mode == ExitGuard.Mode.REFUSING, "this Java cannot install a security manager");
        ATTEMPTS.clear();
        host = new PluginHost(tmp.resolve("staging"), "0.1.0");
    }

    @AfterEach
    void tearDown() {
        if (host != null) {
            host.close();
        }
    }

    /** A stage whose {@code apply}, {@code create} or constructor calls the given statement. */
    private Path exitingPlugin(String jar, String inConstructor, String inCreate, String inApply) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("plugins"));
        return PluginJarBuilder.plugin("exiter", "1.0.0").source("com.example.exit.ExitStage", """
                package com.example.exit;

                import io.caravan.api.flow.FlowBatch;
                import io.caravan.api.stage.*;
                import java.util.List;
                import org.pf4j.Extension;

                @Extension
                public class ExitStage implements StageProvider<FlowBatch, FlowBatch> {
                    public ExitStage() { %s }
                    public String name() { return "exit-now"; }
                    public String description() { return "ends the JVM"; }
                    public Class<FlowBatch> inputType() { return FlowBatch.class; }
                    public Class<FlowBatch> outputType() { return FlowBatch.class; }
                    public List<OptionSpec> options() { return List.of(); }
                    public Stage<FlowBatch, FlowBatch> create(StageOptions o, StageContext c) {
                        %s
                        return batch -> { %s return batch; };
                    }
                }
                """.formatted(inConstructor, inCreate, inApply)).build(dir.resolve(jar));
    }

    @SuppressWarnings("unchecked")
    private static Stage<FlowBatch, FlowBatch> create(LoadedPlugin p) throws Exception {
        StageProvider<FlowBatch, FlowBatch> provider = (StageProvider<FlowBatch, FlowBatch>) p.contributions().stages().get(0);
        try (LoaderSwap ignored = LoaderSwap.to(p.classLoader())) {
            return RecordingStageContext.of("exit-now", Clock.systemUTC()).create(provider, Map.of());
        }
    }

    @Test
    void aStageCallingSystemExitIsRefusedAndItsJarNamed() throws Exception {
        LoadedPlugin p = host.load(exitingPlugin("exiter.jar", "", "", "System.exit(3);"));
        Stage<FlowBatch, FlowBatch> stage = create(p);

        assertThatThrownBy(() -> stage.apply(new FlowBatch(Origin.UNKNOWN, List.of())))
                .isInstanceOf(SecurityException.class)
                .hasMessageStartingWith("plugin jar exiter.jar called System.exit(3)")
                .hasMessageContaining("com.example.exit.ExitStage");
        assertThat(ATTEMPTS).singleElement().satisfies(a -> {
            assertThat(a.jar()).isEqualTo("exiter.jar");
            assertThat(a.status()).isEqualTo(3);
        });
    }

    @Test
    void haltAndExitFromAPluginThreadAreRefusedToo() throws Exception {
        LoadedPlugin p = host.load(exitingPlugin("halter.jar", "", "",
                "Thread t = new Thread(() -> Runtime.getRuntime().halt(7)); t.start();"));
        Stage<FlowBatch, FlowBatch> stage = create(p);

        stage.apply(new FlowBatch(Origin.UNKNOWN, List.of()));

        // The refusal ends the plugin's thread with an uncaught SecurityException; that is the point, not a test failure.
        await().dontCatchUncaughtExceptions().atMost(Duration.ofSeconds(5)).until(() -> !ATTEMPTS.isEmpty());
        assertThat(ATTEMPTS.get(0).jar()).isEqualTo("halter.jar");
        assertThat(ATTEMPTS.get(0).status()).isEqualTo(7);
    }

    @Test
    void aPluginThatExitsWhileLoadingIsRejectedWithItsJarNamed() throws Exception {
        Path jar = exitingPlugin("early.jar", "System.exit(1);", "", "");

        assertThatThrownBy(() -> host.load(jar)).isInstanceOf(PluginLoadException.class)
                .hasMessageStartingWith("early.jar: plugin 'exiter': extension com.example.exit.ExitStage could not be created")
                .hasMessageContaining("plugin jar early.jar called System.exit(1)");
        assertThat(host.plugins()).isEmpty();
    }

    @Test
    void aPluginThatExitsWhenItsStageIsCreatedFailsThatStageOnly() throws Exception {
        LoadedPlugin p = host.load(exitingPlugin("late.jar", "", "System.exit(2);", ""));

        assertThatThrownBy(() -> create(p)).isInstanceOf(SecurityException.class)
                .hasMessageStartingWith("plugin jar late.jar called System.exit(2)");
    }

    @Test
    void theServerItselfMayStillCheckItsExitPermission() {
        // What System.exit does first, from a class that is not a plugin's: allowed.
        @SuppressWarnings("removal")
        SecurityManager sm = System.getSecurityManager();
        sm.checkExit(0);
        assertThat(ATTEMPTS).isEmpty();
    }
}
