package io.javalived.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The iproute2 name tables keepalived reads for routes and rules (its rttables.c): built-in names plus
 * {@code /etc/iproute2/rt_tables}, {@code rt_protos}, {@code rt_scopes}, {@code rt_dsfield} when present; a number
 * (decimal or 0x hex) is always accepted.
 */
final class RtTables {
    private RtTables() {
    }

    static final Map<String, Long> TABLES = Map.of("default", 253L, "main", 254L, "local", 255L);
    static final Map<String, Long> PROTOS = Map.ofEntries(Map.entry("unspec", 0L), Map.entry("redirect", 1L),
            Map.entry("kernel", 2L), Map.entry("boot", 3L), Map.entry("static", 4L), Map.entry("gated", 8L),
            Map.entry("ra", 9L), Map.entry("mrt", 10L), Map.entry("zebra", 11L), Map.entry("bird", 12L),
            Map.entry("dnrouted", 13L), Map.entry("xorp", 14L), Map.entry("ntk", 15L), Map.entry("dhcp", 16L),
            Map.entry("keepalived", 18L), Map.entry("babel", 42L), Map.entry("bgp", 186L), Map.entry("isis", 187L),
            Map.entry("ospf", 188L), Map.entry("rip", 189L), Map.entry("eigrp", 192L));
    static final Map<String, Long> SCOPES = Map.of("global", 0L, "universe", 0L, "site", 200L, "link", 253L,
            "host", 254L, "nowhere", 255L);
    static final Map<String, Long> DSFIELD = Map.of();
    /** RTN_* route types (rtnl_rtntype_a2n). */
    static final Map<String, Integer> ROUTE_TYPES = Map.ofEntries(Map.entry("unicast", 1), Map.entry("local", 2),
            Map.entry("broadcast", 3), Map.entry("anycast", 4), Map.entry("multicast", 5),
            Map.entry("blackhole", 6), Map.entry("unreachable", 7), Map.entry("prohibit", 8),
            Map.entry("throw", 9), Map.entry("nat", 10), Map.entry("xresolve", 11));

    private static final Map<String, Map<String, Long>> FILES = new ConcurrentHashMap<>();

    /** {@code name} in the built-in names, then in /etc/iproute2/{@code file}; a number as is; null if unknown. */
    static Long lookup(String name, Map<String, Long> builtin, String file, long max) {
        Long n = number(name);
        if (n == null) {
            n = builtin.get(name);
        }
        if (n == null) {
            n = FILES.computeIfAbsent(file, RtTables::read).get(name);
        }
        return n != null && n >= 0 && n <= max ? n : null;
    }

    static Long number(String s) {
        try {
            if (s.startsWith("0x") || s.startsWith("0X")) {
                return Long.parseLong(s.substring(2), 16);
            }
            if (!s.isEmpty() && s.chars().allMatch(Character::isDigit)) {
                return Long.parseLong(s);
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return null;
    }

    private static Map<String, Long> read(String file) {
        Map<String, Long> out = new HashMap<>();
        Path p = Path.of("/etc/iproute2", file);
        try {
            for (String line : Files.readAllLines(p)) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                String[] w = l.split("\\s+");
                Long v = w.length >= 2 ? number(w[0]) : null;
                if (v != null) {
                    out.put(w[1], v);
                }
            }
        } catch (IOException | RuntimeException e) {
            // no file: only the built-in names and numbers
        }
        return out;
    }
}
