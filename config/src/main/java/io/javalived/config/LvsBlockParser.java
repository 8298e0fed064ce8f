package io.javalived.config;

import io.javalived.config.Values.BadValue;
import io.javalived.config.model.LvsMethod;
import java.net.InetAddress;
import java.time.Duration;

/**
 * Base of the virtual_server, real_server and checker parsers: the settings a checker inherits from its real server
 * and virtual server ({@link Inherit}), the keywords that set them, and the forwarding method (lb_kind).
 */
abstract class LvsBlockParser extends BlockParser {
    LvsBlockParser(ParseContext cx) {
        super(cx);
    }

    /** Settings inherited virtual_server → real_server → checker (null = not set at this level). */
    static final class Inherit {
        Duration connectTimeout;
        Integer retry;
        Duration delayBeforeRetry;
        Duration warmup;
        Duration delayLoop;
        Boolean alpha;
        Boolean inhibit;
        String virtualhost;
        LvsMethod method;

        Inherit over(Inherit parent) {
            Inherit r = new Inherit();
            r.connectTimeout = connectTimeout != null ? connectTimeout : parent.connectTimeout;
            r.retry = retry != null ? retry : parent.retry;
            r.delayBeforeRetry = delayBeforeRetry != null ? delayBeforeRetry : parent.delayBeforeRetry;
            r.warmup = warmup != null ? warmup : parent.warmup;
            r.delayLoop = delayLoop != null ? delayLoop : parent.delayLoop;
            r.alpha = alpha != null ? alpha : parent.alpha;
            r.inhibit = inhibit != null ? inhibit : parent.inhibit;
            r.virtualhost = virtualhost != null ? virtualhost : parent.virtualhost;
            r.method = method != null ? method : parent.method;
            return r;
        }
    }

    /** Handles a keyword shared by virtual_server, real_server and checkers; false when not one of them. */
    final boolean inheritable(ConfigNode s, Inherit in) throws ConfigException {
        switch (s.keyword) {
            case "connect_timeout" -> in.connectTimeout = timerArg(s, 0, 0.000001, 4294.967295);
            case "retry" -> in.retry = intArg(s, 0, 1, Integer.MAX_VALUE);
            case "delay_before_retry" -> in.delayBeforeRetry = timerArg(s, 0, 0, 1.8446744073709E13);
            case "warmup" -> in.warmup = timerArg(s, 0, 0, 1.8446744073709E13);
            case "delay_loop" -> in.delayLoop = timerArg(s, 0, 0.000001, 1.8446744073709E13);
            case "alpha" -> in.alpha = boolArg(s);
            default -> {
                return false;
            }
        }
        return true;
    }

    final LvsMethod lvsMethod(ConfigNode s) throws ConfigException {
        String v = arg(s, 0);
        if ((v.equals("NAT") || v.equals("DR")) && s.args.size() > 1) {
            warn(s, "Invalid tunnel option " + s.args.get(1) + " for virtual server.");
        }
        return switch (v) {
            case "NAT" -> LvsMethod.NAT;
            case "DR" -> LvsMethod.DR;
            case "TUN" -> {
                String tunType = "ipip";
                for (int i = 1; i < s.args.size(); i++) {
                    String k = s.args.get(i);
                    switch (k) {
                        case "type" -> {
                            String t = argAt(s, s.args, ++i);
                            tunType = t;
                            if (t.equals("gue")) {
                                if (i + 1 < s.args.size() && s.args.get(i + 1).equals("port")) {
                                    i++;
                                    String pv = argAt(s, s.args, ++i);
                                    try {
                                        Values.parseInt(pv, 1, 65535);
                                    } catch (BadValue b) {
                                        throw err(s, "invalid gue port '" + pv + "'");
                                    }
                                } else {
                                    throw err(s, "tunnel type gue needs 'port NUM'");
                                }
                            } else if (!t.equals("ipip") && !t.equals("gre")) {
                                throw err(s, "unknown tunnel type '" + t + "' (ipip|gue|gre)");
                            }
                        }
                        case "nocsum", "csum", "remcsum" -> {
                            String tt = tunType;
                            if (tt.equals("ipip") && !k.equals("nocsum")) {
                                warn(s, "ipip tunnels do not support checksum option.");
                            } else if (tt.equals("gre") && k.equals("remcsum")) {
                                warn(s, "gre tunnels do not support remote checksum option.");
                            }
                        }
                        default -> throw err(s, "unknown tunnel option '" + k + "'");
                    }
                }
                if (!tunType.equals("ipip")) {
                    throw err(s, "lb_kind TUN type " + tunType + " is refused by javalived: it programs tunnelled "
                            + "real servers as IPIP only, and a real server expecting " + tunType.toUpperCase(java.util.Locale.ROOT)
                            + " would drop the IPIP packets. Use TUN (ipip), or keepalived for " + tunType);
                }
                yield LvsMethod.TUN;
            }
            default -> throw err(s, "PARSER : unknown [" + v + "] routing method (NAT|DR|TUN)");
        };
    }

    /** keepalived ignores a /suffix on virtual and real server addresses (with a note from us). */
    final InetAddress addressIgnoringSuffix(ConfigNode n, String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            return Values.tryAddress(text);
        }
        if (text.indexOf('-', slash) >= 0) {
            return null;
        }
        InetAddress a = Values.tryAddress(text.substring(0, slash));
        if (a != null) {
            note(n, "'" + text.substring(slash) + "' after address " + text.substring(0, slash) + " is ignored");
        }
        return a;
    }
}
