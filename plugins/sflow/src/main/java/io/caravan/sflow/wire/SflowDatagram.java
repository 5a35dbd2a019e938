package io.caravan.sflow.wire;

import java.util.List;

/**
 * A decoded datagram: its header, the samples of known formats in datagram order, and how many
 * samples and records of unknown formats were skipped by their declared length.
 */
public record SflowDatagram(DatagramHeader header, List<Sample> samples, int unknownSamples, int unknownRecords) {
}
