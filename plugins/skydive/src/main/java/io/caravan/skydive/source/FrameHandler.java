package io.caravan.skydive.source;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.FlowRecord;
import io.caravan.api.flow.Origin;
import io.caravan.api.log.LogLimit;
import io.caravan.skydive.flow.MalformedFlowException;
import io.caravan.skydive.flow.SkydiveFlowMapper;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

/**
 * Turns one complete WebSocket message into the batch the route gets: the envelope decoded, a
 * {@code store} message's flows mapped to records, everything else counted. Nothing here throws:
 * a bad envelope, a bad flow or an oversized message is counted (reason envelope, flow, oversize)
 * and logged at most once per {@value LogLimit#DEFAULT_INTERVAL_MS} ms per kind, and the good
 * flows of a message with some bad ones still go on. Thread-safe.
 */
final class FrameHandler {
    private final String analyzer;
    private final EnvelopeDecoder decoder;
    private final SkydiveCounts counts;
    private final Clock clock;
    private final Logger log;
    private final LogLimit envelopeLog = new LogLimit(LogLimit.DEFAULT_INTERVAL_MS);
    private final LogLimit flowLog = new LogLimit(LogLimit.DEFAULT_INTERVAL_MS);
    private final LogLimit oversizeLog = new LogLimit(LogLimit.DEFAULT_INTERVAL_MS);

    FrameHandler(String analyzer, EnvelopeDecoder decoder, SkydiveCounts counts, Clock clock, Logger log) {
        this.analyzer = analyzer;
        this.decoder = decoder;
        this.counts = counts;
        this.clock = clock;
        this.log = log;
    }

    /** A decoded message: the envelope's namespace and the batch (null when nothing goes on). */
    record Result(String namespace, FlowBatch batch) {
        static final Result NOTHING = new Result("", null);
    }

    Result text(String text, InetSocketAddress origin) {
        counts.message();
        try {
            return store(decoder.decodeText(text), origin);
        } catch (MalformedEnvelopeException e) {
            return envelopeError(e);
        }
    }

    Result binary(byte[] frame, int length, InetSocketAddress origin) {
        counts.message();
        try {
            return store(decoder.decodeBinary(frame, 0, length), origin);
        } catch (MalformedEnvelopeException e) {
            return envelopeError(e);
        }
    }

    /** A message that was larger than maxMessageBytes, dropped whole. */
    void oversize(long size, long max) {
        counts.message();
        counts.countOversize();
        if (oversizeLog.allow()) {
            log.warn("{}: dropped a message of {} bytes or more, over maxMessageBytes {} (counted in {}{{}=\"{}\"};"
                    + " logged at most every {} s)", analyzer, size, max, SkydiveConstants.METER_DECODE_ERRORS,
                    SkydiveConstants.TAG_REASON, SkydiveConstants.REASON_OVERSIZE, oversizeLog.intervalSeconds());
        }
    }

    private Result store(Envelope e, InetSocketAddress origin) {
        if (!e.isStore()) {
            counts.countIgnored();
            return new Result(e.namespace(), null);
        }
        long nowMs = clock.millis();
        long receivedNs = nowMs * 1_000_000L;
        byte[] sampler = origin == null || origin.getAddress() == null ? null : origin.getAddress().getAddress();
        List<FlowRecord> records = new ArrayList<>(e.obj().size());
        for (JsonNode flow : e.obj()) {
            try {
                records.add(SkydiveFlowMapper.toRecord(flow, receivedNs, sampler));
            } catch (MalformedFlowException ex) {
                counts.flowError();
                if (flowLog.allow()) {
                    log.warn("{}: skipped a flow on '{}': {} (counted in {}{{}=\"{}\"}; logged at most every {} s)",
                            analyzer, e.namespace(), ex.getMessage(), SkydiveConstants.METER_DECODE_ERRORS,
                            SkydiveConstants.TAG_REASON, SkydiveConstants.REASON_FLOW, flowLog.intervalSeconds());
                }
            }
        }
        counts.flows(records.size());
        if (records.isEmpty()) {
            return new Result(e.namespace(), null);
        }
        return new Result(e.namespace(), new FlowBatch(new Origin(origin, 0, nowMs), records));
    }

    private Result envelopeError(MalformedEnvelopeException e) {
        counts.envelopeError();
        if (envelopeLog.allow()) {
            log.warn("{}: dropped a message: {} (counted in {}{{}=\"{}\"}; logged at most every {} s)", analyzer,
                    e.getMessage(), SkydiveConstants.METER_DECODE_ERRORS, SkydiveConstants.TAG_REASON,
                    SkydiveConstants.REASON_ENVELOPE, envelopeLog.intervalSeconds());
        }
        return Result.NOTHING;
    }
}
