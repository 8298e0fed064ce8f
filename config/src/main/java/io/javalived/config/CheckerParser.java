package io.javalived.config;

import io.javalived.inet.InetText;
import io.javalived.config.model.CheckerCommon;
import io.javalived.config.model.CheckerConfig;
import io.javalived.config.model.GlobalDefs;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Base of the checker parsers, one per checker type as keepalived's check_*.c each install their own keywords: the
 * keywords most checkers share (connect_ip, connect_port, bindto, bind_port, bind_if, fwmark, log_all_failures and
 * the settings inherited from the real and virtual server) and the defaults resolved when the checker is built.
 */
abstract class CheckerParser extends LvsBlockParser {
    /** keepalived's block keyword: TCP_CHECK, HTTP_GET, SSL_GET, ... */
    final String type;

    CheckerParser(ParseContext cx, String type) {
        super(cx);
        this.type = type;
    }

    /** A draft for the checker block {@code n}. */
    abstract Draft draft(ConfigNode n);

    /** Whether connect_ip, connect_port, bindto, ... are keywords of this checker (not of MISC_CHECK, FILE_CHECK). */
    boolean connects() {
        return true;
    }

    /** Whether retry, delay_loop, warmup, ... are keywords of this checker (not of FILE_CHECK). */
    boolean timed() {
        return true;
    }


    /** retry when neither the checker, the real server nor the virtual server sets it. */
    int defaultRetry() {
        return 1;
    }

    /** delay_before_retry when nothing sets it ({@code eff}: the checker's inherited settings). */
    Duration defaultDelayBeforeRetry(Inherit eff) {
        return Duration.ofSeconds(1);
    }

    /** The port when neither connect_port nor the real server gives one (0: none). */
    int defaultPort() {
        return 0;
    }

    /** Whether the checker needs a port (an error when there is none and no default). */
    boolean needsPort() {
        return false;
    }

    /** Reads a checker block; its draft is added to {@code out} (built with the real server, see Draft#build). */
    final void parse(ConfigNode n, List<Draft> out) {
        Draft c = draft(n);
        extraArgs(n, 0);
        if (!needBlock(n)) {
            return;
        }
        out.add(c);
        each(n, "virtual_server/real_server/" + type, s -> {
            if (!s.keyword.equals("url") && !s.keyword.equals("host")) {
                noBlock(s);
            }
            if (timed() && s.keyword.equals("retry")) {
                // keepalived 2.2.7: a checker's retry may be 0 (no retry), unlike the virtual/real server default
                // (>= 1); HTTP_GET/SSL_GET still take the old name nb_get_retry (read as retry, see KeywordCatalog)
                c.inherit.retry = intArg(s, 0, 0, Integer.MAX_VALUE);
                return;
            }
            if (timed() && (connects() || !s.keyword.equals("connect_timeout")) && inheritable(s, c.inherit)) {
                return;
            }
            if (connects() && connectKeyword(s, c)) {
                return;
            }
            c.keyword(s);
        });
    }

    private boolean connectKeyword(ConfigNode s, Draft c) throws ConfigException {
        switch (s.keyword) {
            case "connect_ip" -> c.connectIp = Optional.of(addrArg(s, 0));
            case "connect_port" -> c.connectPort = intArg(s, 0, 1, 65535);
            case "bindto" -> c.bindTo = Optional.of(addrArg(s, 0));
            case "bind_port" -> c.bindPort = intArg(s, 0, 1, 65535);
            case "bind_if" -> c.bindIf = Optional.of(arg(s, 0));
            case "fwmark" -> c.fwmark = (int) longArg(s, 0, 0, 4294967295L);
            case "log_all_failures" -> c.logAll = boolArg(s);
            default -> {
                return false;
            }
        }
        return true;
    }

    /** A checker block being read: the settings all checkers have; each type adds its own. */
    abstract class Draft {
        final ConfigNode node;
        final Inherit inherit = new Inherit();
        Optional<InetAddress> connectIp = Optional.empty();
        Integer connectPort;
        Optional<InetAddress> bindTo = Optional.empty();
        int bindPort;
        Optional<String> bindIf = Optional.empty();
        Boolean logAll;
        int fwmark;

        Draft(ConfigNode node) {
            this.node = node;
        }

        /** A keyword of this checker type (the shared ones are handled before). */
        void keyword(ConfigNode s) throws ConfigException {
            unknown(s);
        }

        /** The checker's model from its resolved settings; null drops it (already reported). */
        abstract CheckerConfig build(CheckerCommon common, Inherit eff, GlobalDefs g) throws ConfigException;

        /** Resolves inheritance (checker ← real server ← virtual server) and keepalived's defaults, then builds. */
        final CheckerConfig build(InetAddress rsAddress, int rsPort, Inherit rsEff, GlobalDefs g)
                throws ConfigException {
            Inherit eff = inherit.over(rsEff);
            InetAddress ip = connectIp.orElse(rsAddress);
            if (bindTo.isPresent() && Values.isV6(bindTo.get()) != Values.isV6(ip)) {
                warnAt(node, "bindto", "bindto address " + InetText.ntop(bindTo.get())
                        + " does not match address family of connect_ip - skipping");
                bindTo = Optional.empty();
            }
            int port = connectPort != null ? connectPort : rsPort;
            if (port == 0) {
                // keepalived's defaults for a port-less real server
                port = defaultPort();
                if (port == 0 && needsPort()) {
                    throw err(node, type + " for real server " + InetText.ntop(rsAddress)
                            + " has no port: set connect_port or the real server's port");
                }
            }
            CheckerCommon common = new CheckerCommon(ip, port, bindTo, bindPort, bindIf, eff.connectTimeout,
                    eff.retry != null ? eff.retry : defaultRetry(),
                    eff.delayBeforeRetry != null ? eff.delayBeforeRetry : defaultDelayBeforeRetry(eff),
                    eff.warmup != null ? eff.warmup : eff.delayLoop, eff.delayLoop, eff.alpha,
                    logAll != null ? logAll : g.checkerLogAllFailures(), fwmark, origin(node));
            return build(common, eff, g);
        }
    }
}
