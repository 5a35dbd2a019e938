package io.caravan.skydive.encode;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;

/**
 * {@code encode json}: the tree as JSON, compact or, with {@code pretty}, indented by one tab per
 * level with {@code "key": value} and a newline after each element, as Go's
 * {@code json.MarshalIndent(v, "", "\t")} that the exporter used.
 */
public final class JsonEncoder implements Encoder {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ObjectWriter writer;

    public JsonEncoder(boolean pretty) {
        this.writer = pretty ? MAPPER.writer(goIndent()) : MAPPER.writer();
    }

    static DefaultPrettyPrinter goIndent() {
        DefaultIndenter tab = new DefaultIndenter("\t", "\n");
        Separators separators = Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("")
                .withArrayEmptySeparator("");
        return new DefaultPrettyPrinter(separators).withObjectIndenter(tab).withArrayIndenter(tab);
    }

    @Override
    public byte[] encode(JsonNode object) throws EncodeException {
        try {
            return writer.writeValueAsBytes(object);
        } catch (JsonProcessingException e) {
            throw new EncodeException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public String contentType() {
        return "application/json";
    }

    @Override
    public String suffix() {
        return ".json";
    }
}
