package io.javalived.daemon;

import io.javalived.director.OperatorControl;
import io.javalived.director.OverrideStore;
import io.javalived.director.status.StatusSource;
import io.javalived.inet.VirtualServerKey;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The operator requests of the control socket ({@code javalived drain|enable|disable|weight}), one line each:
 * <pre>
 * drain RS [vs VS] [timeout DURATION]
 * enable RS [vs VS]        enable vs VS
 * disable RS [vs VS]       disable vs VS      disable VS
 * weight RS N|reset [vs VS]
 * </pre>
 * RS is {@code ADDRESS:PORT} (every virtual server holding it, or the one of {@code vs}); VS is keepalived's text
 * ({@link VirtualServerKey#parse}: {@code [10.0.0.1]:tcp:80}, {@code 10.0.0.1:80}, {@code FWM 7}, {@code [GROUP]:80});
 * DURATION is seconds or {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, 0 for no limit. The answer is one
 * {@code ok: ...} line per real or virtual server concerned (possibly followed by {@code warning: ...} lines), or
 * one {@code error: ...} line saying what is wrong and what to do. Requests are idempotent: repeating one changes
 * nothing and says so.
 */
public final class ControlRequests {
    static final String VERBS = "status, ipvs, drain, enable, disable, weight";
    static final int MAX_WEIGHT = Integer.MAX_VALUE; // keepalived 2.2.7: IPVS_WEIGHT_LIMIT = INT32_MAX

    private ControlRequests() {
    }

    /** Whether {@code req} is one of these requests (by its first word). */
    public static boolean handles(String req) {
        String verb = req.strip().split("\\s+", 2)[0];
        return switch (verb) {
            case "drain", "enable", "disable", "weight" -> true;
            default -> false;
        };
    }

    /** The answer to one request line (never throws). */
    public static String answer(String req, StatusSource source) {
        if (!handles(req)) {
            String r = req.length() > 40 ? req.substring(0, 40) + "..." : req;
            return "error: unknown request '" + r + "' (" + VERBS + ")\n";
        }
        List<String> words = words(req);
        String verb = words.get(0);
        try {
            Parsed p = parse(verb, words.subList(1, words.size()));
            OperatorControl c = source.control();
            if (c == null) {
                return "error: " + verb + ": this daemon runs no virtual servers (--vrrp-only, or none in its "
                        + "configuration)\n";
            }
            List<String> lines = switch (verb) {
                case "drain" -> c.drain(p.rs(c), p.vs, p.timeout);
                case "weight" -> c.weight(p.rs(c), p.vs, p.weight);
                case "disable" -> {
                    Target t = p.target(c);
                    yield c.disable(t.rs, t.vs);
                }
                default -> {
                    Target t = p.target(c);
                    yield c.enable(t.rs, t.vs);
                }
            };
            StringBuilder sb = new StringBuilder();
            for (String l : lines) {
                sb.append(l.startsWith("warning: ") ? l : "ok: " + l).append('\n');
            }
            return sb.length() == 0 ? "ok: nothing to do\n" : sb.toString();
        } catch (IllegalArgumentException e) {
            return "error: " + verb + ": " + e.getMessage() + "\n";
        } catch (RuntimeException e) {
            return "error: " + verb + " failed: " + e.getMessage() + "\n";
        }
    }

    /** Whitespace-separated words; {@code FWM 7} / {@code fwmark 7} stay one word. */
    static List<String> words(String req) {
        String[] w = req.strip().split("\\s+");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < w.length; i++) {
            String lw = w[i].toLowerCase(Locale.ROOT);
            if ((lw.equals("fwm") || lw.equals("fwmark")) && i + 1 < w.length) {
                out.add(w[i] + " " + w[++i]);
            } else {
                out.add(w[i]);
            }
        }
        return out;
    }

    private record Target(InetSocketAddress rs, VirtualServerKey vs) {}

    private static final class Parsed {
        final String verb;
        String target;
        VirtualServerKey vs;
        Duration timeout;
        Integer weight;
        boolean weightGiven;

        Parsed(String verb) {
            this.verb = verb;
        }

        String usage() {
            return switch (verb) {
                case "drain" -> "drain RS [vs VS] [timeout DURATION]";
                case "weight" -> "weight RS N|reset [vs VS]";
                default -> verb + " RS [vs VS] | " + verb + " vs VS";
            };
        }

        InetSocketAddress rs(OperatorControl c) {
            if (target == null) {
                throw new IllegalArgumentException("name the real server: " + usage());
            }
            return OverrideStore.realServer(target);
        }

        /** enable/disable: a real server, or a virtual server (named alone, or by vs VS without a real server). */
        Target target(OperatorControl c) {
            if (target == null) {
                if (vs == null) {
                    throw new IllegalArgumentException("name a real or virtual server: " + usage());
                }
                return new Target(null, vs);
            }
            if (vs != null) {
                return new Target(OverrideStore.realServer(target), vs);
            }
            InetSocketAddress rs = null;
            VirtualServerKey v = null;
            try {
                rs = OverrideStore.realServer(target);
            } catch (IllegalArgumentException e) {
                // not an ADDRESS:PORT
            }
            try {
                v = VirtualServerKey.parse(target);
            } catch (IllegalArgumentException e) {
                // not a virtual server's text
            }
            boolean explicitVs = v != null && !(v instanceof VirtualServerKey.Address)
                    || target.matches(".*\\]:(tcp|udp|sctp):\\d+");
            boolean isRs = rs != null && c.hasRealServer(rs);
            boolean isVs = v != null && c.hasVirtualServer(v);
            if (isRs && isVs && !explicitVs) {
                throw new IllegalArgumentException(target + " is both a real server and a virtual server: give '"
                        + verb + " " + target + " --vs VS' for the real server, '" + verb + " --vs " + target
                        + "' for the virtual server");
            }
            if (isVs) {
                return new Target(null, v);
            }
            if (isRs) {
                return new Target(rs, null);
            }
            // neither is configured: the director's answer names what is missing
            if (v != null && (explicitVs || rs == null)) {
                return new Target(null, v);
            }
            if (rs != null) {
                return new Target(rs, null);
            }
            throw new IllegalArgumentException("'" + target + "' is neither a real server (ADDRESS:PORT) nor a"
                    + " virtual server ([ADDRESS]:PROTO:PORT, 'FWM MARK', [GROUP]:PORT)");
        }
    }

    private static Parsed parse(String verb, List<String> args) {
        Parsed p = new Parsed(verb);
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "vs", "--vs" -> {
                    if (++i >= args.size()) {
                        throw new IllegalArgumentException("vs needs a virtual server: " + p.usage());
                    }
                    p.vs = VirtualServerKey.parse(args.get(i));
                }
                case "timeout", "--timeout" -> {
                    if (!verb.equals("drain")) {
                        throw new IllegalArgumentException("timeout is for drain only: " + p.usage());
                    }
                    if (++i >= args.size()) {
                        throw new IllegalArgumentException("timeout needs a duration: " + p.usage());
                    }
                    p.timeout = duration(args.get(i));
                }
                default -> {
                    if (p.target == null) {
                        p.target = a;
                    } else if (verb.equals("weight") && !p.weightGiven) {
                        p.weight = weight(a);
                        p.weightGiven = true;
                    } else {
                        throw new IllegalArgumentException("unexpected '" + a + "': " + p.usage());
                    }
                }
            }
        }
        if (verb.equals("weight") && !p.weightGiven) {
            throw new IllegalArgumentException("give the weight (0.." + MAX_WEIGHT + ") or reset: " + p.usage());
        }
        return p;
    }

    /** 0..2147483647 (keepalived's range), or {@code reset} (null: back to the configured weight). */
    static Integer weight(String s) {
        if (s.equalsIgnoreCase("reset")) {
            return null;
        }
        try {
            int w = Integer.parseInt(s);
            if (w >= 0 && w <= MAX_WEIGHT) {
                return w;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException("'" + s + "' is not a weight - give an integer 0.." + MAX_WEIGHT
                + " (keepalived's range), or reset for the configured weight");
    }

    /** Seconds, or a number with ms, s, m or h; 0: no limit. */
    static Duration duration(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        try {
            long mult;
            String num;
            if (t.endsWith("ms")) {
                mult = 1;
                num = t.substring(0, t.length() - 2);
            } else if (t.endsWith("s")) {
                mult = 1000;
                num = t.substring(0, t.length() - 1);
            } else if (t.endsWith("m")) {
                mult = 60_000;
                num = t.substring(0, t.length() - 1);
            } else if (t.endsWith("h")) {
                mult = 3_600_000;
                num = t.substring(0, t.length() - 1);
            } else {
                mult = 1000;
                num = t;
            }
            long v = Long.parseLong(num);
            if (v < 0 || v > Long.MAX_VALUE / mult) {
                throw new NumberFormatException();
            }
            return Duration.ofMillis(v * mult);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s + "' is not a timeout - give seconds or a duration such as"
                    + " 500ms, 30s, 5m, 1h (0: wait for the connections without a limit)");
        }
    }
}
