package io.caravan.traffic.datagram.sflow;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The {@code flow_record} list that flow samples and discarded-packet samples carry, and the
 * overrides that build malformed samples for decoder tests.
 */
public abstract class FlowRecords<T extends FlowRecords<T>> {
    private final List<Consumer<Xdr>> records = new ArrayList<>();
    private int recordCount = -1;
    int declaredLength = -1;

    FlowRecords() {
    }

    abstract T self();

    /** Writes this record count instead of the number of records added. */
    public T recordCount(int count) {
        this.recordCount = count;
        return self();
    }

    /** Writes this sample length instead of the real one. */
    public T declaredLength(int length) {
        this.declaredLength = length;
        return self();
    }

    /**
     * A sampled_header record of an Ethernet frame (without FCS): header_protocol 1, frame_length =
     * frame + 4, stripped = 4, header = the first {@code headerLength} bytes.
     */
    public T rawHeader(byte[] frame, int headerLength) {
        return rawHeader(h -> h.frame(frame, headerLength));
    }

    /** A sampled_header record (format 1) by field. */
    public T rawHeader(Consumer<SampledHeader> header) {
        SampledHeader h = new SampledHeader();
        header.accept(h);
        return record(SampledHeader.FORMAT, h.declaredLength, h::write);
    }

    /** A sampled_ethernet record (format 2). */
    public T sampledEthernet(Consumer<SampledEthernet> record) {
        SampledEthernet e = new SampledEthernet();
        record.accept(e);
        return record(SampledEthernet.FORMAT, -1, e::write);
    }

    /** A sampled_ipv4 record (format 3). */
    public T sampledIpv4(Consumer<SampledIp> record) {
        SampledIp r = new SampledIp(4);
        record.accept(r);
        return record(SampledIp.FORMAT_IPV4, r.declaredLength, r::write);
    }

    /** A sampled_ipv6 record (format 4). */
    public T sampledIpv6(Consumer<SampledIp> record) {
        SampledIp r = new SampledIp(16);
        record.accept(r);
        return record(SampledIp.FORMAT_IPV6, r.declaredLength, r::write);
    }

    /** An extended_switch record (format 1001). */
    public T extendedSwitch(Consumer<ExtendedSwitch> record) {
        ExtendedSwitch r = new ExtendedSwitch();
        record.accept(r);
        return record(ExtendedSwitch.FORMAT, -1, r::write);
    }

    /** An extended_router record (format 1002). */
    public T extendedRouter(Consumer<ExtendedRouter> record) {
        ExtendedRouter r = new ExtendedRouter();
        record.accept(r);
        return record(ExtendedRouter.FORMAT, -1, r::write);
    }

    /** An extended_gateway record (format 1003). */
    public T extendedGateway(Consumer<ExtendedGateway> record) {
        ExtendedGateway r = new ExtendedGateway();
        record.accept(r);
        return record(ExtendedGateway.FORMAT, -1, r::write);
    }

    /** A flow record of any enterprise and format with an opaque body (for skip tests). */
    public T unknownRecord(int enterprise, int format, byte[] body) {
        byte[] b = body.clone();
        return record(Xdr.dataFormat(enterprise, format), -1, x -> x.bytes(b));
    }

    /** A record written as given: data format word, declared length, body bytes. */
    public T rawRecord(int dataFormat, int declaredLength, byte[] body) {
        records.add(Xdr.raw(dataFormat, declaredLength, body));
        return self();
    }

    private T record(int dataFormat, int declaredLength, Consumer<Xdr> body) {
        records.add(out -> out.tlv(dataFormat, declaredLength, body));
        return self();
    }

    /** The record count, then the records. */
    void writeRecords(Xdr x) {
        x.u32(recordCount >= 0 ? recordCount : records.size());
        records.forEach(r -> r.accept(x));
    }
}
