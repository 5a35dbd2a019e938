package io.caravan.testkit.captures;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.traffic.capture.DatagramCapture;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * The captured datagrams of real exporters that decoder tests replay, and tshark's decode of them,
 * from the test class path: {@code /captures/<protocol>/<capture>.bin} (a {@link DatagramCapture})
 * and {@code <capture>.expected.json}. Provenance is in each captures directory's README.
 */
public final class Captures {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Captures() {
    }

    /** The datagrams of one capture, in the order the exporter sent them. */
    public static List<byte[]> datagrams(String protocol, String capture) throws IOException {
        try (InputStream in = resource(protocol, capture + ".bin")) {
            return DatagramCapture.read(in);
        }
    }

    /** tshark's decode of the capture, reduced to the fields Caravan maps. */
    public static JsonNode expected(String protocol, String capture) throws IOException {
        try (InputStream in = resource(protocol, capture + ".expected.json")) {
            return JSON.readTree(in);
        }
    }

    private static InputStream resource(String protocol, String name) throws IOException {
        String path = "/captures/" + protocol + "/" + name;
        InputStream in = Captures.class.getResourceAsStream(path);
        if (in == null) {
            throw new IOException("no fixture " + path + " on the test class path; see captures/README.md");
        }
        return in;
    }
}
