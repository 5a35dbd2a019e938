package io.caravan.pipeline.json;

import io.caravan.api.metrics.Counter;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.caravan.api.flow.FlowBatch;
import io.caravan.api.flow.FlowRecord;
import io.caravan.api.flow.Origin;
import io.caravan.api.stage.Stage;
import io.caravan.api.stage.StageContext;
import io.caravan.api.stage.StageException;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits the input at '\n', ignores blank lines, and decodes each other line as one record. A bad
 * line fails the message with its 1-based line number, or, when skipping, is counted and left out.
 * Thread-safe: all per-call state is local.
 */
final class DecodeJsonStage implements Stage<byte[], FlowBatch> {
    private final FlowJson json;
    private final Clock clock;
    private final Counter invalidLines;

    /** @param invalidLines the counter of skipped lines, or null to fail on the first bad line */
    DecodeJsonStage(FlowJson json, Clock clock, Counter invalidLines) {
        this.json = json;
        this.clock = clock;
        this.invalidLines = invalidLines;
    }

    @Override
    public FlowBatch apply(byte[] input) throws StageException {
        Origin origin = new Origin(null, 0, clock.millis());
        List<FlowRecord> records = new ArrayList<>();
        int line = 0;
        for (int start = 0; start < input.length; ) {
            int end = start;
            while (end < input.length && input[end] != '\n') {
                end++;
            }
            line++;
            if (!blank(input, start, end)) {
                try {
                    records.add(json.decode(input, start, end - start));
                } catch (JsonLineException e) {
                    invalid(line, e.getMessage(), e);
                } catch (JsonProcessingException e) {
                    invalid(line, (e.getLocation() == null ? "" : "column " + e.getLocation().getColumnNr() + ": ")
                            + e.getOriginalMessage(), e);
                } catch (IOException e) {
                    invalid(line, e.getMessage(), e);
                }
            }
            start = end + 1;
        }
        return new FlowBatch(origin, records);
    }

    private void invalid(int line, String problem, Exception cause) throws StageException {
        if (invalidLines == null) {
            throw new StageException("line " + line + ": " + problem, cause);
        }
        invalidLines.increment();
    }

    private static boolean blank(byte[] b, int start, int end) {
        for (int i = start; i < end; i++) {
            if (b[i] != ' ' && b[i] != '\t' && b[i] != '\r') {
                return false;
            }
        }
        return true;
    }
}
