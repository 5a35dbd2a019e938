package io.caravan.vanflow.source;

/** Names the vanflow component shares with its docs and tests. */
public final class VanFlowConstants {
    public static final String SCHEME = "vanflow";
    /** Beacons received on mc/sfe.all. */
    public static final String METER_BEACONS = "caravan.vanflow.ingest.beacons";
    /** Heartbeats received. */
    public static final String METER_HEARTBEATS = "caravan.vanflow.ingest.heartbeats";
    /** RECORD messages received. */
    public static final String METER_RECORD_MESSAGES = "caravan.vanflow.ingest.record.messages";
    /** Records decoded and fed to the state. */
    public static final String METER_RECORDS = "caravan.vanflow.ingest.records";
    /** FLUSH commands sent. */
    public static final String METER_FLUSHES = "caravan.vanflow.ingest.flushes";
    /** Event sources discovered (a source purged and seen again counts again). */
    public static final String METER_SOURCES = "caravan.vanflow.ingest.sources";
    /** Event sources purged after silence. */
    public static final String METER_PURGES = "caravan.vanflow.ingest.purges";
    /** Record maps of an unknown record type, skipped. */
    public static final String METER_UNKNOWN_TYPES = "caravan.vanflow.ingest.unknown.types";
    /** Attributes with an unknown code (kept in the record). */
    public static final String METER_UNKNOWN_CODES = "caravan.vanflow.ingest.unknown.codes";
    /** Messages that could not be read at all (body not a list, beacon without id, undecodable). */
    public static final String METER_MALFORMED = "caravan.vanflow.ingest.malformed.messages";
    /** Record maps without a type or identity, or not maps, skipped. */
    public static final String METER_MALFORMED_RECORDS = "caravan.vanflow.ingest.malformed.records";
    /** Messages dropped because the ingest queue was full. */
    public static final String METER_QUEUE_DROPS = "caravan.vanflow.ingest.queue.drops";
    /** Connections established (the first and every reconnect). */
    public static final String METER_CONNECTS = "caravan.vanflow.ingest.connects";
    /** Flows not turned into FlowRecords because maxFlows were already remembered. */
    public static final String METER_FLOW_DROPS = "caravan.vanflow.ingest.flow.drops";
    /** FlowRecords emitted. */
    public static final String METER_FLOW_RECORDS = "caravan.vanflow.ingest.flow.records";
    /** Event sources known now (gauge). */
    public static final String METER_SOURCES_ACTIVE = "caravan.vanflow.ingest.sources.active";
    public static final String TAG_ENDPOINT = "endpoint";

    private VanFlowConstants() {
    }
}
