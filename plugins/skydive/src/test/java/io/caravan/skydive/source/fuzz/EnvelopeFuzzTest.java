package io.caravan.skydive.source.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caravan.api.flow.FlowRecord;
import io.caravan.api.flow.FlowType;
import io.caravan.skydive.flow.MalformedFlowException;
import io.caravan.skydive.flow.SkydiveFlowMapper;
import io.caravan.skydive.source.Envelope;
import io.caravan.skydive.source.EnvelopeDecoder;
import io.caravan.skydive.source.MalformedEnvelopeException;
import java.nio.charset.StandardCharsets;

/**
 * One analyzer frame, coverage-guided: the first byte's low bit picks a text frame (the JSON envelope)
 * or a binary frame (the protobuf StructMessage), the rest is the frame, starting from the seeds in
 * {@code EnvelopeFuzzTestInputs/frame/}. The property: decoding either gives an envelope or a
 * {@link MalformedEnvelopeException}, and every flow of a {@code store} either maps to a SKYDIVE record
 * that keeps it or is refused with a {@link MalformedFlowException}; nothing else is ever thrown.
 * Without {@code JAZZER_FUZZ} it replays the seeds as a regression test.
 */
class EnvelopeFuzzTest {
    private static final EnvelopeDecoder DECODER = new EnvelopeDecoder(new ObjectMapper());

    @FuzzTest(maxDuration = "1m")
    void frame(FuzzedDataProvider in) {
        byte[] data = in.consumeRemainingAsBytes();
        if (data.length == 0) {
            return;
        }
        Envelope e;
        try {
            e = (data[0] & 1) == 0
                    ? DECODER.decodeText(new String(data, 1, data.length - 1, StandardCharsets.UTF_8))
                    : DECODER.decodeBinary(data, 1, data.length - 1);
        } catch (MalformedEnvelopeException bad) {
            assertThat(bad.getMessage()).isNotBlank();
            return;
        }
        if (!e.isStore()) {
            return;
        }
        assertThat(e.obj().isArray()).isTrue();
        for (JsonNode flow : e.obj()) {
            try {
                FlowRecord r = SkydiveFlowMapper.toRecord(flow, 0, null);
                assertThat(r.type()).isEqualTo(FlowType.SKYDIVE);
                assertThat(r.source()).isSameAs(flow).isInstanceOf(ObjectNode.class);
                assertThat(r.srcPort()).isBetween(0, 65_535);
            } catch (MalformedFlowException refused) {
                assertThat(refused.getMessage()).isNotBlank();
            }
        }
    }
}
