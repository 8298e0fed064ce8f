package io.javalived.config;

import io.javalived.config.Values.BadValue;
import io.javalived.config.model.LvsMethod;
import io.javalived.config.model.Tunnel;
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
        /** Set with method (null: as inherited). */
        Tunnel tunnel;

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
            r.tunnel = tunnel != null ? tunnel : parent.tunnel;
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

    /** lb_kind / lvs_method: the forwarding method and, for TUN, its encapsulation. */
    record Forward(LvsMethod method, Tunnel tunnel) {
    }

    /**
     * {@code NAT|DR|TUN [type ipip|gue|gre] [port N] [nocsum|csum|remcsum]} as keepalived's svr_forwarding_handler
     * reads it: options in any order, the last of each wins; a GUE tunnel needs a port and no other type may have one.
     * A checksum option an encapsulation does not support is reported and the tunnel is left as it was (a null
     * tunnel: inherited), as keepalived leaves it.
     */
    final Forward lvsMethod(ConfigNode s) throws ConfigException {
        String v = arg(s, 0);
        if ((v.equals("NAT") || v.equals("DR")) && s.args.size() > 1) {
            warn(s, "Invalid tunnel option " + s.args.get(1) + " for virtual server.");
        }
        return switch (v) {
            case "NAT" -> new Forward(LvsMethod.NAT, Tunnel.IPIP);
            case "DR" -> new Forward(LvsMethod.DR, Tunnel.IPIP);
            case "TUN" -> {
                Tunnel.Type type = Tunnel.Type.IPIP;
                int port = 0;
                Tunnel.Checksum csum = Tunnel.Checksum.NOCSUM;
                for (int i = 1; i < s.args.size(); i++) {
                    String k = s.args.get(i);
                    switch (k) {
                        case "type" -> {
                            String t = argAt(s, s.args, ++i);
                            type = switch (t) {
                                case "ipip" -> Tunnel.Type.IPIP;
                                case "gue" -> Tunnel.Type.GUE;
                                case "gre" -> Tunnel.Type.GRE;
                                default -> throw err(s, "unknown tunnel type '" + t + "' (ipip|gue|gre)");
                            };
                        }
                        case "port" -> {
                            String pv = argAt(s, s.args, ++i);
                            try {
                                port = Values.parseInt(pv, 1, 65535);
                            } catch (BadValue b) {
                                throw err(s, "invalid gue tunnel port '" + pv + "' (1-65535)");
                            }
                        }
                        case "nocsum" -> csum = Tunnel.Checksum.NOCSUM;
                        case "csum" -> csum = Tunnel.Checksum.CSUM;
                        case "remcsum" -> csum = Tunnel.Checksum.REMCSUM;
                        default -> throw err(s, "unknown tunnel option '" + k
                                + "' (type ipip|gue|gre, port N, nocsum|csum|remcsum)");
                    }
                }
                if ((type == Tunnel.Type.GUE) != (port != 0)) {
                    throw err(s, type == Tunnel.Type.GUE ? "tunnel type gue needs 'port NUM'"
                            : "only gue tunnels have a port: remove 'port " + port + "'");
                }
                if (type == Tunnel.Type.IPIP && csum != Tunnel.Checksum.NOCSUM) {
                    warn(s, "ipip tunnels do not support checksum option.");
                    yield new Forward(LvsMethod.TUN, null);
                }
                if (type == Tunnel.Type.GRE && csum == Tunnel.Checksum.REMCSUM) {
                    warn(s, "gre tunnels do not support remote checksum option.");
                    yield new Forward(LvsMethod.TUN, null);
                }
                yield new Forward(LvsMethod.TUN, new Tunnel(type, port, csum));
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
