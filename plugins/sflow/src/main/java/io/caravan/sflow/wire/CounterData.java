package io.caravan.sflow.wire;

/** One decoded counter record of a counter sample; unknown record formats are skipped, not represented. */
public sealed interface CounterData permits GenericInterfaceCounters, EthernetCounters {
}
