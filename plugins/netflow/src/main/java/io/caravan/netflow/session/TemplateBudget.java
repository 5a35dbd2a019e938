package io.caravan.netflow.session;

/**
 * How much a {@link TemplateStore} may hold, in the heap bytes {@link io.caravan.netflow.map.CompiledTemplate#estimateBytes}
 * counts.
 *
 * @param maxFields        fields one template may have; a template with more is refused as too large
 * @param bytesPerExporter what one exporter's templates may take; past it its least recently announced ones make room
 * @param bytesTotal       what all templates together may take; past it idle exporters' least recently used templates
 *                         are evicted, and without any a new template is refused
 */
public record TemplateBudget(int maxFields, long bytesPerExporter, long bytesTotal) {
    /** Large enough for any test that is not about the budget. */
    public static final TemplateBudget UNLIMITED = new TemplateBudget(65_535, Long.MAX_VALUE / 4, Long.MAX_VALUE / 4);
}
