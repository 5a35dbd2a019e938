package io.caravan.skydive.encode;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class EncodersTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static ArrayNode records() throws Exception {
        return (ArrayNode) MAPPER.readTree("""
                [{"UUID":"a1","Transport":{"Protocol":"TCP","A":"51234","B":"443"},"Start":1700000012345},
                 {"UUID":"b2","Start":1700000099999,"LogStatus":"OK"}]""");
    }

    @Test
    void jsonIsCompactByDefaultAndKeepsFieldOrder() throws Exception {
        Encoder e = EncodeType.JSON.create(false);

        String text = new String(e.encode(records()), UTF_8);

        assertThat(text).isEqualTo("[{\"UUID\":\"a1\",\"Transport\":{\"Protocol\":\"TCP\",\"A\":\"51234\",\"B\":\"443\"},"
                + "\"Start\":1700000012345},{\"UUID\":\"b2\",\"Start\":1700000099999,\"LogStatus\":\"OK\"}]");
        assertThat(e.contentType()).isEqualTo("application/json");
        assertThat(e.suffix()).isEqualTo(".json");
    }

    @Test
    void prettyJsonIndentsByTabsAsGoMarshalIndentDoes() throws Exception {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("a", 1);
        o.putArray("b").add("x");
        o.putArray("c");
        o.putObject("d");

        String text = new String(new JsonEncoder(true).encode(o), UTF_8);

        assertThat(text).isEqualTo("{\n\t\"a\": 1,\n\t\"b\": [\n\t\t\"x\"\n\t],\n\t\"c\": [],\n\t\"d\": {}\n}");
        assertThat(MAPPER.readTree(text)).isEqualTo(o);
    }

    @Test
    void secadvisorWrapsTheObjectInData() throws Exception {
        Encoder e = EncodeType.SECADVISOR.create(true);

        JsonNode back = MAPPER.readTree(e.encode(records()));

        assertThat(back.fieldNames()).toIterable().containsExactly("data");
        assertThat(back.get("data")).isEqualTo(records());
        assertThat(e.suffix()).isEqualTo(".json");
    }

    @Test
    void csvHasAHeaderOfEveryFieldInFirstSeenOrderAndQuotesAsRfc4180() throws Exception {
        Encoder e = EncodeType.CSV.create(false);
        ArrayNode rows = (ArrayNode) MAPPER.readTree("""
                [{"version":2,"srcaddr":"10.0.0.1","action":"ACCEPT"},
                 {"version":2,"srcaddr":"a,b","note":"say \\"hi\\"","action":null}]""");

        String text = new String(e.encode(rows), UTF_8);

        assertThat(text).isEqualTo("version,srcaddr,action,note\n"
                + "2,10.0.0.1,ACCEPT,\n"
                + "2,\"a,b\",,\"say \"\"hi\"\"\"\n");
        assertThat(e.contentType()).isEqualTo("text/csv");
        assertThat(e.suffix()).isEqualTo(".csv");
    }

    @Test
    void csvWritesNestedValuesAsJsonText() throws Exception {
        ArrayNode rows = (ArrayNode) MAPPER.readTree("[{\"n\":{\"x\":1}}]");

        assertThat(new String(new CsvEncoder().encode(rows), UTF_8)).isEqualTo("n\n\"{\"\"x\"\":1}\"\n");
    }

    @Test
    void csvRefusesAnObjectThatIsNotAListOfRecords() {
        assertThatThrownBy(() -> new CsvEncoder().encode(MAPPER.readTree("{\"flow_logs\":[]}")))
                .isInstanceOf(EncodeException.class).hasMessageContaining("header=none");
        assertThatThrownBy(() -> new CsvEncoder().encode(MAPPER.readTree("[1]")))
                .isInstanceOf(EncodeException.class).hasMessageContaining("JSON objects");
    }
}
