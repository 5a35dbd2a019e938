package io.caravan.pipeline.protobuf;

import io.caravan.api.flow.FlowRecord;
import io.caravan.pipeline.encoding.BatchEncoder;
import java.util.List;

/**
 * The records as encode-protobuf writes them by default (goflow2 FlowMessages, each after its
 * length as a varint), into a caller's array. Thread-safe.
 */
public final class DelimitedProtobufEncoder implements BatchEncoder {

    @Override
    public int encode(List<FlowRecord> records, byte[] b, int off) {
        return FlowProto.encode(records, true, b, off);
    }

    @Override
    public String format() {
        return "protobuf";
    }
}
