package io.caravan.testkit.peers.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaBrokerTest {

    @Test
    void startsStopsAndRestartsOnTheSamePort(@TempDir Path dir) throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(dir, 3)) {
            assertThat(broker.isRunning()).isTrue();
            assertThat(broker.log()).contains("Kafka Server started");
            broker.stop();
            assertThat(broker.isRunning()).isFalse();
            assertThat(connects(broker.port())).isFalse();
            broker.restart();
            assertThat(connects(broker.port())).isTrue();
        }
    }

    private static boolean connects(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
