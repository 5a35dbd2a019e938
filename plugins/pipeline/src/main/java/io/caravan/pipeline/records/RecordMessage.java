package io.caravan.pipeline.records;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.camel.Message;
import org.apache.camel.support.MessageSupport;

/**
 * One record's message: a body and a few headers, outside any CamelContext (a stage has none, and
 * Camel's DefaultMessage needs one). Headers are read as stored: a typed read gives the value when
 * it already has that type and null otherwise, since there is no type converter to ask.
 */
final class RecordMessage extends MessageSupport {
    private Map<String, Object> headers = new HashMap<>(2);

    RecordMessage(Object body) {
        setBody(body);
    }

    @Override
    public Message newInstance() {
        return new RecordMessage(null);
    }

    @Override
    public Object getHeader(String name) {
        return headers.get(name);
    }

    @Override
    public Object getHeader(String name, Object defaultValue) {
        return headers.getOrDefault(name, defaultValue);
    }

    @Override
    public Object getHeader(String name, Supplier<Object> defaultValueSupplier) {
        Object v = headers.get(name);
        return v != null ? v : defaultValueSupplier.get();
    }

    @Override
    public <T> T getHeader(String name, Class<T> type) {
        return typed(headers.get(name), type);
    }

    @Override
    public <T> T getHeader(String name, Object defaultValue, Class<T> type) {
        return typed(headers.getOrDefault(name, defaultValue), type);
    }

    @Override
    public <T> T getHeader(String name, Supplier<Object> defaultValueSupplier, Class<T> type) {
        return typed(getHeader(name, defaultValueSupplier), type);
    }

    @Override
    public void setHeader(String name, Object value) {
        headers.put(name, value);
    }

    @Override
    public Object removeHeader(String name) {
        return headers.remove(name);
    }

    @Override
    public boolean removeHeaders(String pattern) {
        return removeHeaders(pattern, new String[0]);
    }

    @Override
    public boolean removeHeaders(String pattern, String... excludePatterns) {
        return headers.keySet().removeIf(k -> org.apache.camel.support.PatternHelper.matchPattern(k, pattern)
                && !org.apache.camel.support.PatternHelper.matchPatterns(k, excludePatterns));
    }

    @Override
    public Map<String, Object> getHeaders() {
        return headers;
    }

    @Override
    public void setHeaders(Map<String, Object> headers) {
        this.headers = new HashMap<>(headers);
    }

    @Override
    public boolean hasHeaders() {
        return !headers.isEmpty();
    }

    private static <T> T typed(Object v, Class<T> type) {
        return type.isInstance(v) ? type.cast(v) : null;
    }
}
