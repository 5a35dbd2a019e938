package io.caravan.netflow.encode;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One NetFlow/IPFIX datagram as tshark's verbose text ({@code -V}) shows it: the header's fields (indented
 * 4) and each data record ("Flow n" in v9/IPFIX, "pdu n/m" in v5) as label to value. Bit-field lines and
 * template sets are left out.
 */
record TsharkPacket(Map<String, String> header, List<Map<String, String>> records) {
    private static final Pattern FIELD = Pattern.compile("^( +)([A-Za-z][A-Za-z0-9 ]*): (.*)$");
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("MMM ppd, yyyy HH:mm:ss.SSSSSSSSS 'UTC'",
            Locale.US).withZone(ZoneOffset.UTC);

    static List<TsharkPacket> parse(String text) {
        List<TsharkPacket> packets = new ArrayList<>();
        TsharkPacket current = null;
        Map<String, String> record = null;
        int recordIndent = 0;
        boolean inTemplates = false;
        for (String line : text.split("\n")) {
            if (line.equals("Cisco NetFlow/IPFIX")) {
                current = new TsharkPacket(new LinkedHashMap<>(), new ArrayList<>());
                packets.add(current);
                record = null;
                inTemplates = false;
                continue;
            }
            if (current == null) {
                continue;
            }
            if (!line.startsWith(" ")) {
                current = null; // the next frame
                continue;
            }
            String trimmed = line.trim();
            int indent = line.length() - line.stripLeading().length();
            if (trimmed.matches("Flow \\d+") || trimmed.matches("pdu \\d+/\\d+")) {
                record = new LinkedHashMap<>();
                recordIndent = indent;
                current.records().add(record);
                continue;
            }
            if (indent == 4 && trimmed.startsWith("FlowSet ") || indent == 4 && trimmed.startsWith("Set ")) {
                inTemplates = trimmed.contains("Template");
                record = null;
                continue;
            }
            Matcher m = FIELD.matcher(line);
            if (!m.matches() || inTemplates) {
                continue;
            }
            if (record != null && indent > recordIndent) {
                record.putIfAbsent(m.group(2), value(m.group(2), m.group(3)));
            } else if (indent == 4) {
                current.header().putIfAbsent(m.group(2), m.group(3));
            }
        }
        return packets;
    }

    /** The value without tshark's reading aids: v5's "(prefix: a/n)" after masks, the flag names after TCP flags. */
    private static String value(String label, String text) {
        if (label.equals("TCP Flags")) {
            return text.split(",")[0];
        }
        return text.replaceFirst(" \\(prefix: [^)]*\\)$", "");
    }

    /** An address as tshark prints it (IPv6 compressed per RFC 5952, which Java's text is not). */
    static String address(byte[] a) throws UnknownHostException {
        if (a == null) {
            return "0.0.0.0";
        }
        String full = InetAddress.getByAddress(a).getHostAddress();
        if (a.length == 4) {
            return full;
        }
        // Longest run of two or more zero groups becomes "::"; leading zeros dropped (Java already does).
        String[] groups = full.split(":");
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < groups.length; ) {
            int j = i;
            while (j < groups.length && groups[j].equals("0")) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        if (bestStart < 0) {
            return full;
        }
        String left = String.join(":", java.util.Arrays.copyOfRange(groups, 0, bestStart));
        String right = String.join(":", java.util.Arrays.copyOfRange(groups, bestStart + bestLength, groups.length));
        return left + "::" + right;
    }

    /** A MAC in the low 48 bits as tshark prints it: the colon-separated address, then again in parentheses. */
    static String mac(long mac) {
        StringBuilder s = new StringBuilder();
        for (int shift = 40; shift >= 0; shift -= 8) {
            s.append(String.format("%02x", mac >>> shift & 0xFF)).append(shift > 0 ? ":" : "");
        }
        return s + " (" + s + ")";
    }

    static String utc(long epochMs) {
        return UTC.format(Instant.ofEpochMilli(epochMs));
    }

    static String protocol(int proto) {
        return switch (proto) {
            case 1 -> "ICMP (1)";
            case 6 -> "TCP (6)";
            case 17 -> "UDP (17)";
            case 58 -> "ICMPv6 (58)";
            default -> Integer.toString(proto);
        };
    }
}
