package io.caravan.netflow.wire;

/** What a template set asks of the template store, in the order the records appear. */
public sealed interface TemplateOp {
    /** Add or replace a template. */
    record Define(TemplateRecord template) implements TemplateOp {
    }

    /** IPFIX withdrawal of one template id (field_count 0). */
    record Withdraw(int templateId, TemplateRecord.Kind kind) implements TemplateOp {
    }

    /** IPFIX withdrawal of every template (id 2 in set 2) or options template (id 3 in set 3) of the domain. */
    record WithdrawAll(TemplateRecord.Kind kind) implements TemplateOp {
    }
}
