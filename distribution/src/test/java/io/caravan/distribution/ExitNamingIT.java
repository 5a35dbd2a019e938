package io.caravan.distribution;

import static io.caravan.testkit.CaravanProcess.writeAtomically;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.caravan.testkit.CaravanProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a plugin's System.exit cannot be refused (Java 24+, or the guard turned off as here), the
 * server ends, and its log names the jar that ended it instead of leaving an operator to guess.
 */
class ExitNamingIT {
    @TempDir
    Path dir;

    private CaravanProcess caravan;

    @AfterEach
    void stop() {
        if (caravan != null) {
            caravan.close();
        }
    }

    @Test
    void withoutTheGuardTheLogNamesTheJarThatEndedTheServer() throws Exception {
        caravan = CaravanProcess.install(CaravanProcess.distributionZip(), dir)
                .config("caravan.plugins.exit.guard", "false")
                // Camel's own shutdown hook waits this long for the exchange stuck inside System.exit.
                .config("caravan.shutdown.timeout.seconds", "2").start();
        assertThat(caravan.log()).contains("Plugins calling System.exit: not refused");
        Path staged = ExitingPlugin.build(dir.resolve("exiter.jar"));
        Files.move(staged, caravan.plugins().resolve("exiter.jar"), StandardCopyOption.ATOMIC_MOVE);

        writeAtomically(caravan.routes().resolve("exit.yaml"), ExitingPlugin.route("exit"));

        await().atMost(Duration.ofSeconds(60)).until(() -> !caravan.isAlive());
        assertThat(caravan.log()).contains("The server is ending because plugin jar exiter.jar called System.exit")
                .contains("io.test.exit.ExitStage");
    }
}
