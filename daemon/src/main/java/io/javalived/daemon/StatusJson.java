package io.javalived.daemon;

import io.javalived.director.status.DaemonStatus;
import io.javalived.director.status.VirtualServerStatus;
import io.javalived.director.status.RealServerStatus;
import io.javalived.checkers.CheckStatus;
import io.javalived.checkers.FailureClass;
import io.javalived.vrrp.runtime.InstanceStatus;
import io.javalived.vrrp.runtime.InstanceStatus.TrackerStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link DaemonStatus} as JSON and back: the wire format of the control socket and the output of
 * {@code javalived status --json}. Hand-written (no dependency); field names and order are stable and documented in
 * {@code STATUS.md} next to this class. Times are ISO-8601 UTC ({@code 2026-11-24T21:00:00.123Z}, millisecond
 * precision), durations are seconds (decimal). Unknown fields are ignored when reading (a newer daemon may add
 * some).
 */
public final class StatusJson {
    /** The schema version written as {@code "schema"}; bumped only for incompatible changes. */
    public static final int SCHEMA = 1;

    private StatusJson() {
    }

    // ------------------------------------------------------------------------------------------------ writing

    /**
     * The status as pretty-printed JSON (two-space indent, trailing newline), in one string: for tests and small
     * statuses. The control socket writes {@link #pieces} instead: the same text, a real server at a time.
     */
    public static String write(DaemonStatus s) {
        Map<String, Object> m = header(s);
        List<Object> vss = new ArrayList<>();
        for (VirtualServerStatus v : s.virtualServers()) {
            Map<String, Object> x = virtualServer(v);
            x.put("realServers", realServers(v));
            vss.add(x);
        }
        m.put("virtualServers", vss);
        return io.javalived.daemon.Json.write(m, true);
    }

    /** The text of {@link #write}, given a piece at a time (so that no string holds the whole document). */
    public static Pieces pieces(DaemonStatus s) {
        return new Pieces(s);
    }

    /**
     * {@link #write}'s text in pieces: the header (up to the instances), then each virtual server's fields, then each
     * of its real servers, then the closing brackets. Not thread-safe; one reader.
     */
    public static final class Pieces {
        private final DaemonStatus s;
        private int vs = -1; // -1: the header is next
        private int rs = -1; // -1: the virtual server's head is next
        private boolean done;

        private Pieces(DaemonStatus s) {
            this.s = s;
        }

        /**
         * Appends pieces to {@code sb} until it holds at least {@code min} characters or the text is complete
         * (ASCII only: one byte per character).
         *
         * @return false when nothing was left to append
         */
        public boolean next(StringBuilder sb, int min) {
            if (done) {
                return false;
            }
            while (!done && sb.length() < min) {
                step(sb);
            }
            return true;
        }

        private void step(StringBuilder sb) {
            List<VirtualServerStatus> vss = s.virtualServers();
            if (vs < 0) {
                io.javalived.daemon.Json.write(sb, header(s), 0, true);
                sb.setLength(sb.length() - 2); // "\n}"
                sb.append(",\n  \"virtualServers\": ");
                if (vss.isEmpty()) {
                    sb.append("[]\n}\n");
                    done = true;
                    return;
                }
                sb.append('[');
                vs = 0;
                return;
            }
            VirtualServerStatus v = vss.get(vs);
            List<RealServerStatus> rss = v.realServers() == null ? List.of() : v.realServers();
            if (rs < 0) {
                sb.append(vs == 0 ? "" : ",");
                io.javalived.daemon.Json.indent(sb, 2);
                io.javalived.daemon.Json.write(sb, virtualServer(v), 2, true);
                sb.setLength(sb.length() - 6); // "\n    }"
                sb.append(",\n      \"realServers\": ");
                if (rss.isEmpty()) {
                    sb.append("[]");
                } else {
                    sb.append('[');
                    rs = 0;
                    return;
                }
            } else {
                sb.append(rs == 0 ? "" : ",");
                io.javalived.daemon.Json.indent(sb, 4);
                io.javalived.daemon.Json.write(sb, realServer(rss.get(rs)), 4, true);
                if (++rs < rss.size()) {
                    return;
                }
                io.javalived.daemon.Json.indent(sb, 3);
                sb.append(']');
            }
            io.javalived.daemon.Json.indent(sb, 2);
            sb.append('}');
            rs = -1;
            if (++vs == vss.size()) {
                sb.append("\n  ]\n}\n");
                done = true;
            }
        }
    }

    /** The document's fields up to the instances. */
    private static Map<String, Object> header(DaemonStatus s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schema", SCHEMA);
        m.put("version", s.version());
        m.put("pid", s.pid());
        m.put("startedAt", time(s.startedAt()));
        m.put("configFile", s.configFile());
        m.put("configLoadedAt", time(s.configLoadedAt()));
        m.put("ipvs", s.ipvs());
        List<Object> inst = new ArrayList<>();
        for (InstanceStatus i : s.instances()) {
            inst.add(instance(i));
        }
        m.put("instances", inst);
        return m;
    }

    /** Any parsed JSON value ({@link #parse}) written back, pretty-printed, with a trailing newline. */
    public static String writeValue(Object v) {
        return io.javalived.daemon.Json.write(v, true);
    }

    private static Map<String, Object> instance(InstanceStatus i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", i.name());
        m.put("interface", i.interfaceName());
        m.put("vrid", i.vrid());
        m.put("vrrpVersion", i.version());
        m.put("state", i.state());
        m.put("basePriority", i.basePriority());
        m.put("effectivePriority", i.effectivePriority());
        m.put("virtualIps", i.virtualIps() == null ? List.of() : i.virtualIps());
        m.put("stateSince", time(i.stateSince()));
        m.put("masterSince", time(i.masterSince()));
        m.put("syncGroup", i.syncGroup());
        List<Object> tr = new ArrayList<>();
        for (TrackerStatus t : i.trackers() == null ? List.<TrackerStatus>of() : i.trackers()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("kind", t.kind());
            x.put("name", t.name());
            x.put("state", trackerState(t));
            x.put("good", t.good());
            x.put("weight", t.weight());
            x.put("reverse", t.reverse());
            x.put("effect", t.effect());
            x.put("fault", t.fault());
            x.put("detail", t.detail());
            tr.add(x);
        }
        m.put("trackers", tr);
        m.put("counters", i.counters() == null ? Map.of() : new LinkedHashMap<>(i.counters()));
        return m;
    }

    /** A tracker's state word: UP/DOWN for an interface, GOOD/BAD otherwise (keepalived's words). */
    public static String trackerState(TrackerStatus t) {
        if ("interface".equals(t.kind())) {
            return t.good() ? "UP" : "DOWN";
        }
        return t.good() ? "GOOD" : "BAD";
    }

    private static Map<String, Object> virtualServer(VirtualServerStatus v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", v.name());
        m.put("scheduler", v.scheduler());
        m.put("forwarding", v.forwarding());
        m.put("quorumUp", v.quorumUp());
        m.put("quorum", v.quorum());
        m.put("hysteresis", v.hysteresis());
        m.put("aliveWeight", v.aliveWeight());
        m.put("realServersUp", v.realServersUp());
        m.put("realServersTotal", v.realServersTotal());
        m.put("sorryServer", v.sorryServer());
        m.put("sorryActive", v.sorryActive());
        m.put("suspended", v.suspended());
        m.put("disabled", v.disabled());
        if (v.anycast() != null) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("prefix", v.anycast().prefix());
            a.put("table", v.anycast().table());
            a.put("interface", v.anycast().iface());
            a.put("announced", v.anycast().announced());
            a.put("since", time(v.anycast().since()));
            m.put("anycast", a);
        }
        return m;
    }

    private static List<Object> realServers(VirtualServerStatus v) {
        List<Object> rss = new ArrayList<>();
        for (RealServerStatus r : v.realServers() == null ? List.<RealServerStatus>of() : v.realServers()) {
            rss.add(realServer(r));
        }
        return rss;
    }

    /** One real server's fields (the last field of its virtual server's: realServers). */
    private static Map<String, Object> realServer(RealServerStatus r) {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("address", r.address());
        x.put("health", r.alive() ? "UP" : "DOWN");
        x.put("alive", r.alive());
        x.put("weight", r.weight());
        x.put("inPool", r.inPool());
        x.put("since", time(r.since()));
        x.put("override", r.override());
        x.put("weightOverride", r.weightOverride());
        x.put("drainingSince", time(r.drainingSince()));
        x.put("drainDeadline", time(r.drainDeadline()));
        x.put("connectionsLeft", r.connectionsLeft());
        List<Object> cks = new ArrayList<>();
        for (CheckStatus c : r.checks() == null ? List.<CheckStatus>of() : r.checks()) {
            cks.add(check(c));
        }
        x.put("checks", cks);
        return x;
    }

    private static Map<String, Object> check(CheckStatus c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", c.name());
        m.put("up", c.up());
        m.put("consecutiveFailures", c.consecutiveFailures());
        m.put("attempts", c.attempts());
        m.put("failures", c.failures());
        m.put("lastDurationSeconds", c.lastDurationNanos() < 0 ? null
                : BigDecimal.valueOf(c.lastDurationNanos(), 9).stripTrailingZeros());
        m.put("lastAt", time(c.lastAt()));
        m.put("lastResult", c.lastAt() == null ? null : c.lastOk() ? "ok" : "failed");
        m.put("lastOk", c.lastOk());
        m.put("lastFailure", c.lastFailure() == null ? null : c.lastFailure().name());
        m.put("lastReason", c.lastReason());
        m.put("since", time(c.since()));
        return m;
    }

    private static String time(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.MILLIS).toString();
    }


    // ------------------------------------------------------------------------------------------------ reading

    /**
     * Reads what {@link #write} wrote (and what newer daemons write: unknown fields are ignored, missing ones
     * default to null / 0 / false / empty).
     *
     * @throws IllegalArgumentException when the text is not JSON or not a status object (the message says where)
     */
    public static DaemonStatus read(String json) {
        Object root = parse(json);
        if (!(root instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("the status is not a JSON object");
        }
        Obj o = new Obj(m, "status");
        List<InstanceStatus> inst = new ArrayList<>();
        for (Obj i : o.objects("instances")) {
            inst.add(readInstance(i));
        }
        List<VirtualServerStatus> vss = new ArrayList<>();
        for (Obj v : o.objects("virtualServers")) {
            vss.add(readVirtualServer(v));
        }
        return new DaemonStatus(o.str("version"), o.lng("pid"), o.time("startedAt"), o.str("configFile"),
                o.time("configLoadedAt"), o.str("ipvs"), List.copyOf(inst), List.copyOf(vss));
    }

    private static InstanceStatus readInstance(Obj i) {
        List<TrackerStatus> tr = new ArrayList<>();
        for (Obj t : i.objects("trackers")) {
            tr.add(new TrackerStatus(t.str("kind"), t.str("name"), t.bool("good"), t.integer("weight"),
                    t.bool("reverse"), t.integer("effect"), t.bool("fault"), t.str("detail")));
        }
        Map<String, Long> counters = new LinkedHashMap<>();
        Object c = i.raw("counters");
        if (c instanceof Map<?, ?> cm) {
            Obj co = new Obj(cm, i.where + ".counters");
            for (Object k : cm.keySet()) {
                counters.put((String) k, co.lng((String) k));
            }
        }
        List<String> vips = new ArrayList<>();
        for (Object v : i.list("virtualIps")) {
            vips.add(String.valueOf(v));
        }
        return new InstanceStatus(i.str("name"), i.str("interface"), i.integer("vrid"), i.integer("vrrpVersion"),
                i.str("state"), i.integer("basePriority"), i.integer("effectivePriority"), List.copyOf(vips),
                i.time("stateSince"), i.time("masterSince"), i.str("syncGroup"), List.copyOf(tr),
                java.util.Collections.unmodifiableMap(counters));
    }

    private static VirtualServerStatus readVirtualServer(Obj v) {
        List<RealServerStatus> rss = new ArrayList<>();
        for (Obj r : v.objects("realServers")) {
            List<CheckStatus> cks = new ArrayList<>();
            for (Obj c : r.objects("checks")) {
                Object d = c.raw("lastDurationSeconds");
                long nanos = d == null ? -1 : c.decimal("lastDurationSeconds").movePointRight(9).longValue();
                String fc = c.str("lastFailure");
                FailureClass failure;
                try {
                    failure = fc == null ? null : FailureClass.valueOf(fc);
                } catch (IllegalArgumentException e) {
                    failure = null; // a class this version does not know
                }
                cks.add(new CheckStatus(c.str("name"), c.bool("up"), c.integer("consecutiveFailures"),
                        c.lng("attempts"), c.lng("failures"), nanos, c.time("lastAt"), c.bool("lastOk"), failure,
                        c.str("lastReason"), c.time("since")));
            }
            rss.add(new RealServerStatus(r.str("address"), r.bool("alive"), r.integer("weight"), r.bool("inPool"),
                    r.time("since"), List.copyOf(cks), r.str("override"),
                    r.raw("weightOverride") == null ? null : r.integer("weightOverride"), r.time("drainingSince"),
                    r.time("drainDeadline"), r.raw("connectionsLeft") == null ? null : r.lng("connectionsLeft")));
        }
        return new VirtualServerStatus(v.str("name"), v.str("scheduler"), v.str("forwarding"), v.bool("quorumUp"),
                v.integer("quorum"), v.integer("hysteresis"), v.lng("aliveWeight"), v.integer("realServersUp"),
                v.integer("realServersTotal"), v.str("sorryServer"), v.bool("sorryActive"), v.bool("suspended"),
                List.copyOf(rss), v.bool("disabled"), anycast(v));
    }

    private static io.javalived.director.status.AnycastStatus anycast(Obj v) {
        if (v.raw("anycast") == null) {
            return null;
        }
        if (!(v.raw("anycast") instanceof Map<?, ?> mm)) {
            throw v.bad("anycast", "an object");
        }
        Obj a = new Obj(mm, "anycast");
        return new io.javalived.director.status.AnycastStatus(a.str("prefix"), a.integer("table"), a.str("interface"),
                a.bool("announced"), a.time("since"));
    }

    /** A JSON object being read, with the path used in error messages. */
    private record Obj(Map<?, ?> m, String where) {
        Object raw(String k) {
            return m.get(k);
        }

        String str(String k) {
            Object v = m.get(k);
            if (v == null || v instanceof String) {
                return (String) v;
            }
            throw bad(k, "a string");
        }

        boolean bool(String k) {
            Object v = m.get(k);
            if (v == null) {
                return false;
            }
            if (v instanceof Boolean b) {
                return b;
            }
            throw bad(k, "true or false");
        }

        BigDecimal decimal(String k) {
            Object v = m.get(k);
            if (v == null) {
                return BigDecimal.ZERO;
            }
            if (v instanceof BigDecimal d) {
                return d;
            }
            throw bad(k, "a number");
        }

        long lng(String k) {
            try {
                return decimal(k).longValueExact();
            } catch (ArithmeticException e) {
                throw bad(k, "an integer");
            }
        }

        int integer(String k) {
            try {
                return decimal(k).intValueExact();
            } catch (ArithmeticException e) {
                throw bad(k, "an integer");
            }
        }

        Instant time(String k) {
            String s = str(k);
            try {
                return s == null ? null : Instant.parse(s);
            } catch (DateTimeParseException e) {
                throw bad(k, "an ISO-8601 UTC time");
            }
        }

        List<?> list(String k) {
            Object v = m.get(k);
            if (v == null) {
                return List.of();
            }
            if (v instanceof List<?> l) {
                return l;
            }
            throw bad(k, "an array");
        }

        List<Obj> objects(String k) {
            List<Obj> out = new ArrayList<>();
            List<?> l = list(k);
            for (int i = 0; i < l.size(); i++) {
                if (!(l.get(i) instanceof Map<?, ?> mm)) {
                    throw new IllegalArgumentException(where + "." + k + "[" + i + "] is not an object");
                }
                out.add(new Obj(mm, where + "." + k + "[" + i + "]"));
            }
            return out;
        }

        IllegalArgumentException bad(String k, String what) {
            return new IllegalArgumentException(where + "." + k + " is not " + what + ": " + m.get(k));
        }
    }

    /**
     * Parses JSON text into maps (insertion-ordered), lists, strings, {@link BigDecimal} numbers, booleans and null.
     *
     * @throws IllegalArgumentException on a syntax error (with the character offset)
     */
    public static Object parse(String text) {
        Parser p = new Parser(text);
        p.ws();
        Object v = p.value(0);
        p.ws();
        if (p.pos != text.length()) {
            throw p.error("unexpected text after the JSON value");
        }
        return v;
    }

    private static final class Parser {
        private static final int MAX_DEPTH = 64;
        final String s;
        int pos;

        Parser(String s) {
            this.s = s;
        }

        IllegalArgumentException error(String what) {
            return new IllegalArgumentException("JSON: " + what + " at offset " + pos);
        }

        void ws() {
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
                    pos++;
                } else {
                    break;
                }
            }
        }

        char peek() {
            if (pos >= s.length()) {
                throw error("unexpected end");
            }
            return s.charAt(pos);
        }

        void expect(char c) {
            if (peek() != c) {
                throw error("expected '" + c + "'");
            }
            pos++;
        }

        Object value(int depth) {
            if (depth > MAX_DEPTH) {
                throw error("nested too deeply");
            }
            char c = peek();
            switch (c) {
                case '{' -> {
                    pos++;
                    Map<String, Object> m = new LinkedHashMap<>();
                    ws();
                    if (peek() == '}') {
                        pos++;
                        return m;
                    }
                    while (true) {
                        ws();
                        String k = string();
                        ws();
                        expect(':');
                        ws();
                        m.put(k, value(depth + 1));
                        ws();
                        if (peek() == ',') {
                            pos++;
                        } else {
                            expect('}');
                            return m;
                        }
                    }
                }
                case '[' -> {
                    pos++;
                    List<Object> l = new ArrayList<>();
                    ws();
                    if (peek() == ']') {
                        pos++;
                        return l;
                    }
                    while (true) {
                        ws();
                        l.add(value(depth + 1));
                        ws();
                        if (peek() == ',') {
                            pos++;
                        } else {
                            expect(']');
                            return l;
                        }
                    }
                }
                case '"' -> {
                    return string();
                }
                default -> {
                    if (s.startsWith("true", pos)) {
                        pos += 4;
                        return Boolean.TRUE;
                    }
                    if (s.startsWith("false", pos)) {
                        pos += 5;
                        return Boolean.FALSE;
                    }
                    if (s.startsWith("null", pos)) {
                        pos += 4;
                        return null;
                    }
                    return number();
                }
            }
        }

        String string() {
            expect('"');
            StringBuilder sb = new StringBuilder();
            while (true) {
                char c = peek();
                pos++;
                if (c == '"') {
                    return sb.toString();
                }
                if (c < 0x20) {
                    throw error("control character in a string");
                }
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                char e = peek();
                pos++;
                switch (e) {
                    case '"', '\\', '/' -> sb.append(e);
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        if (pos + 4 > s.length()) {
                            throw error("short \\u escape");
                        }
                        try {
                            sb.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
                        } catch (NumberFormatException x) {
                            throw error("bad \\u escape");
                        }
                        pos += 4;
                    }
                    default -> throw error("bad escape \\" + e);
                }
            }
        }

        BigDecimal number() {
            int start = pos;
            while (pos < s.length() && "+-0123456789.eE".indexOf(s.charAt(pos)) >= 0) {
                pos++;
            }
            if (start == pos) {
                throw error("unexpected character '" + s.charAt(pos) + "'");
            }
            if (pos - start > 64) {
                throw error("number too long");
            }
            try {
                return new BigDecimal(s.substring(start, pos));
            } catch (NumberFormatException e) {
                pos = start;
                throw error("bad number");
            }
        }
    }
}
