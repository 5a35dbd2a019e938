package io.caravan.vanflow.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.caravan.testkit.peers.vanflow.EventSource;
import io.caravan.testkit.peers.vanflow.RouterListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * amqps with the PEM files Skupper mounts (client key in PKCS#1, as Skupper generates it), made by
 * openssl, against a router-like listener that requires a client certificate and SASL EXTERNAL.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsTest {
    @TempDir
    Path dir;

    private void openssl(String... args) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(concat(args)).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as("openssl %s: %s", String.join(" ", args), out).isZero();
    }

    private static List<String> concat(String... args) {
        List<String> l = new java.util.ArrayList<>(List.of("openssl"));
        l.addAll(List.of(args));
        return l;
    }

    @Test
    void theCollectorConnectsWithSkuppersClientCertificateAndSaslExternal() throws Exception {
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "1",
                "-subj", "/CN=test-ca");
        Files.writeString(dir.resolve("san.ext"), "subjectAltName=IP:127.0.0.1\n");
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj",
                "/CN=router");
        openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out",
                "server.crt", "-days", "1", "-extfile", "san.ext");
        openssl("genrsa", "-traditional", "-out", "client.key", "2048");
        openssl("req", "-new", "-key", "client.key", "-out", "client.csr", "-subj", "/CN=skupper-local-client");
        openssl("x509", "-req", "-in", "client.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out",
                "client.crt", "-days", "1");
        assertThat(Files.readString(dir.resolve("client.key"))).contains("BEGIN RSA PRIVATE KEY");

        try (RouterListener router = RouterListener.startTls(dir.resolve("server.crt"), dir.resolve("server.key"),
                dir.resolve("ca.crt"));
             CollectorHarness collector = new CollectorHarness().start(router.url(), "tlsCert=" + dir.resolve("client.crt")
                     + "&tlsKey=" + dir.resolve("client.key") + "&tlsCa=" + dir.resolve("ca.crt"));
             EventSource s = EventSource.router("t1s00:0", router)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> router.listening("mc/sfe.all"));
            s.beacon();
            await().atMost(Duration.ofSeconds(20)).until(() -> router.listening("mc/sfe.t1s00:0"));
            assertThat(router.saslMechanisms()).containsExactly("EXTERNAL");
            assertThat(collector.state.beacons).hasSize(1);
        }
    }
}
