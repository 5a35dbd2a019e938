package io.caravan.server.metrics;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The kernel's view of this process's UDP sockets (Linux {@code /proc}): per socket the local
 * port, bytes waiting in the receive queue and datagrams dropped because the queue was full, plus
 * the host-wide {@code RcvbufErrors}. Drops happen before any Camel code sees a datagram, so this
 * is the only place they can be counted. On other systems every list is empty.
 */
public final class UdpSockets {
    private final Path proc;

    public UdpSockets(Path proc) {
        this.proc = proc;
    }

    /** One socket of this process. */
    public record Socket(String local, int port, long rxQueueBytes, long drops) {
    }

    public List<Socket> sockets() {
        Set<String> inodes = ownInodes();
        List<Socket> out = new ArrayList<>();
        if (inodes.isEmpty()) {
            return out;
        }
        for (String table : List.of("net/udp", "net/udp6")) {
            Path file = proc.resolve(table);
            if (!Files.isReadable(file)) {
                continue;
            }
            try {
                List<String> lines = Files.readAllLines(file);
                for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                    String[] f = line.trim().split("\\s+");
                    // sl local rem st tx:rx tr:tm retrnsmt uid timeout inode ref pointer drops
                    if (f.length < 13 || !inodes.contains(f[9])) {
                        continue;
                    }
                    String local = f[1];
                    int port = Integer.parseInt(local.substring(local.indexOf(':') + 1), 16);
                    long rx = Long.parseLong(f[4].substring(f[4].indexOf(':') + 1), 16);
                    out.add(new Socket(local, port, rx, Long.parseLong(f[12])));
                }
            } catch (IOException | RuntimeException e) {
                // A table that cannot be read or parsed leaves its sockets out; the rest still count.
            }
        }
        return out;
    }

    /** Host-wide UDP receive buffer errors (datagrams dropped for a full socket buffer), or -1 if unknown. */
    public long rcvbufErrors() {
        try {
            List<String> lines = Files.readAllLines(proc.resolve("net/snmp"));
            for (int i = 0; i + 1 < lines.size(); i++) {
                if (lines.get(i).startsWith("Udp:") && lines.get(i + 1).startsWith("Udp:")) {
                    String[] names = lines.get(i).split("\\s+");
                    String[] values = lines.get(i + 1).split("\\s+");
                    for (int k = 1; k < names.length && k < values.length; k++) {
                        if (names[k].equals("RcvbufErrors")) {
                            return Long.parseLong(values[k]);
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    private Set<String> ownInodes() {
        Set<String> inodes = new HashSet<>();
        Path fds = proc.resolve("self/fd");
        if (!Files.isDirectory(fds)) {
            return inodes;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(fds)) {
            for (Path fd : s) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException | UnsupportedOperationException e) {
                    // fd closed while listing: not ours any more
                }
            }
        } catch (IOException e) {
            return inodes;
        }
        return inodes;
    }
}
