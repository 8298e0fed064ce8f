package io.javalived.ipvs;

import io.javalived.inet.InetText;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The kernel's IPVS connection table ({@code ipvsadm -Lnc}). The generic netlink family has no connection dump
 * (linux/ip_vs.h: no IPVS_CMD for it), so it is read, as ipvsadm does, from {@code /proc/net/ip_vs_conn}: one line
 * per connection, {@code Pro FromIP FPrt ToIP TPrt DestIP DPrt State Expires [PEName PEData]}, IPv4 addresses and
 * ports in hexadecimal, IPv6 addresses in their text form, the expiry in seconds.
 */
public final class IpvsConnections {
    /** Where the kernel shows the table (present while ip_vs is loaded). */
    public static final Path PROC = Path.of("/proc/net/ip_vs_conn");

    private IpvsConnections() {
    }

    /** One connection: client → virtual address → destination, its state and seconds until it expires. */
    public record Connection(String protocol, InetSocketAddress client, InetSocketAddress virtual,
                             InetSocketAddress destination, String state, long expiresSeconds) {}

    /**
     * Reads the table.
     *
     * @throws IpvsUnavailableException when the file is missing (the kernel has no IPVS)
     */
    public static List<Connection> read(Path file) throws IOException {
        try {
            return parse(Files.readString(file, StandardCharsets.US_ASCII));
        } catch (NoSuchFileException e) {
            throw new IOException(file + " does not exist: the kernel has no IPVS (modprobe ip_vs)");
        }
    }

    /** Parses the file's text (the header line is skipped; a line that cannot be read is an error). */
    public static List<Connection> parse(String text) {
        List<Connection> out = new ArrayList<>();
        int n = 0;
        for (String line : text.split("\n")) {
            n++;
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("Pro ")) {
                continue;
            }
            String[] f = t.split("\\s+");
            if (f.length < 9) {
                throw new IllegalArgumentException("ip_vs_conn line " + n + ": expected at least 9 fields: " + t);
            }
            try {
                out.add(new Connection(f[0], sock(f[1], f[2]), sock(f[3], f[4]), sock(f[5], f[6]), f[7],
                        Long.parseLong(f[8])));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("ip_vs_conn line " + n + ": " + e.getMessage() + ": " + t);
            }
        }
        return out;
    }

    private static InetSocketAddress sock(String addr, String port) {
        int p = Integer.parseInt(port, 16);
        try {
            if (addr.indexOf(':') < 0 && addr.length() == 8) {
                long v = Long.parseLong(addr, 16);
                byte[] b = {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
                return new InetSocketAddress(InetAddress.getByAddress(b), p);
            }
            return new InetSocketAddress(InetText.parse(addr), p);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bad address " + addr);
        }
    }

    /** As {@code ipvsadm -Lnc} prints it. */
    public static String listing(List<Connection> conns) {
        StringBuilder sb = new StringBuilder("IPVS connection entries\n");
        sb.append(String.format(Locale.ROOT, "pro expire %-11s %-18s %-18s %s%n", "state", "source", "virtual",
                "destination"));
        for (Connection c : conns) {
            sb.append(String.format(Locale.ROOT, "%-3s %02d:%02d  %-11s %-18s %-18s %s%n", c.protocol(),
                    c.expiresSeconds() / 60, c.expiresSeconds() % 60, c.state(), hostPort(c.client()),
                    hostPort(c.virtual()), hostPort(c.destination())));
        }
        return sb.toString();
    }

    private static String hostPort(InetSocketAddress a) {
        return InetText.hostPort(a.getAddress(), a.getPort());
    }
}
