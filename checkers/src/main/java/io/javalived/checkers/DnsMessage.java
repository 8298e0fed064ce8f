package io.javalived.checkers;

import java.io.ByteArrayOutputStream;
import java.util.Locale;
import java.util.Map;

/** The bits of DNS (RFC 1035) DNS_CHECK needs: build a query, judge a reply. Pure. */
public final class DnsMessage {
    public static final Map<String, Integer> TYPES = Map.ofEntries(Map.entry("A", 1), Map.entry("NS", 2),
            Map.entry("CNAME", 5), Map.entry("SOA", 6), Map.entry("PTR", 12), Map.entry("MX", 15), Map.entry("TXT", 16),
            Map.entry("AAAA", 28), Map.entry("SRV", 33), Map.entry("RRSIG", 46), Map.entry("DNSKEY", 48));
    static final String[] RCODES = {"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED"};

    private DnsMessage() {}

    public static int type(String name) {
        Integer t = TYPES.get(name.toUpperCase(Locale.ROOT));
        if (t == null) throw new IllegalArgumentException("Unknown DNS check type " + name);
        return t;
    }

    /** A recursive-desired query for (name, type, IN). */
    public static byte[] query(int id, String name, int type) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.write(id >> 8);
        o.write(id);
        o.write(0x01); // RD
        o.write(0);
        o.write(0);
        o.write(1); // QDCOUNT
        for (int i = 0; i < 6; i++) o.write(0);
        writeName(o, name);
        o.write(type >> 8);
        o.write(type);
        o.write(0);
        o.write(1); // IN
        return o.toByteArray();
    }

    static void writeName(ByteArrayOutputStream o, String name) {
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        if (!n.isEmpty()) {
            for (String label : n.split("\\.")) {
                if (label.isEmpty() || label.length() > 63)
                    throw new IllegalArgumentException("DNS_CHECK name '" + name + "' has an empty or long label");
                o.write(label.length());
                o.writeBytes(label.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
        }
        o.write(0);
    }

    /** Judges a reply: null = good (matching id, a response, NOERROR, an answer of the queried type), else why not. */
    public static String problem(byte[] r, int len, int id, int type) {
        if (len < 12) return "short reply (" + len + " bytes)";
        int rid = ((r[0] & 0xff) << 8) | (r[1] & 0xff);
        if (rid != id) return "ID mismatch";
        if ((r[2] & 0x80) == 0) return "not a response";
        int rcode = r[3] & 0x0f;
        if (rcode != 0) return "RCODE " + (rcode < RCODES.length ? RCODES[rcode] : String.valueOf(rcode));
        int qd = u16(r, 4), an = u16(r, 6);
        if (an == 0) return "no answer";
        int p = 12;
        try {
            for (int i = 0; i < qd; i++) p = skipName(r, p, len) + 4;
            for (int i = 0; i < an; i++) {
                p = skipName(r, p, len);
                if (p + 10 > len) return "truncated answer";
                int t = u16(r, p);
                int rdlen = u16(r, p + 8);
                if (t == type) return null;
                p += 10 + rdlen;
            }
        } catch (IndexOutOfBoundsException e) {
            return "malformed reply";
        }
        return "no answer of the queried type";
    }

    private static int u16(byte[] b, int p) {
        return ((b[p] & 0xff) << 8) | (b[p + 1] & 0xff);
    }

    private static int skipName(byte[] b, int p, int len) {
        while (true) {
            if (p >= len) throw new IndexOutOfBoundsException();
            int l = b[p] & 0xff;
            if (l == 0) return p + 1;
            if ((l & 0xc0) == 0xc0) return p + 2;
            p += 1 + l;
        }
    }
}
