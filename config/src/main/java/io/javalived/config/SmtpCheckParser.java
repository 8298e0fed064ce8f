package io.javalived.config;

import io.javalived.config.model.CheckerCommon;
import io.javalived.config.model.CheckerConfig;
import io.javalived.config.model.GlobalDefs;
import java.net.InetAddress;
import java.util.Optional;

/**
 * SMTP_CHECK (keepalived's check_smtp.c): helo_name (default: global_defs smtp_helo_name), the deprecated host { }
 * blocks (the first gives connect_ip/port); port 25 by default.
 */
final class SmtpCheckParser extends CheckerParser {
    SmtpCheckParser(ParseContext cx) {
        super(cx, "SMTP_CHECK");
    }

    @Override
    int defaultPort() {
        return 25;
    }

    @Override
    boolean needsPort() {
        return true;
    }

    @Override
    Draft draft(ConfigNode n) {
        return new SmtpDraft(n);
    }

    private final class SmtpDraft extends Draft {
        Optional<String> helo = Optional.empty();

        SmtpDraft(ConfigNode n) {
            super(n);
        }

        @Override
        void keyword(ConfigNode s) throws ConfigException {
            switch (s.keyword) {
                case "helo_name" -> helo = Optional.of(arg(s, 0));
                case "host" -> hostBlock(s); // deprecated (the catalogue says so): the first is used
                default -> unknown(s);
            }
        }

        private void hostBlock(ConfigNode h) {
            if (!needBlock(h)) {
                return;
            }
            each(h, "virtual_server/real_server/SMTP_CHECK/host", s -> {
                noBlock(s);
                switch (s.keyword) {
                    case "connect_ip" -> {
                        InetAddress a = addrArg(s, 0);
                        connectIp = connectIp.isPresent() ? connectIp : Optional.of(a);
                    }
                    case "connect_port" -> {
                        int p = intArg(s, 0, 1, 65535);
                        connectPort = connectPort != null ? connectPort : p;
                    }
                    case "bindto" -> bindTo = Optional.of(addrArg(s, 0));
                    case "bind_port" -> bindPort = intArg(s, 0, 1, 65535);
                    case "connect_timeout" -> inherit.connectTimeout = timerArg(s, 0, 0.000001, 1.8446744073709E13);
                    case "bind_if", "fwmark", "retry", "delay_before_retry", "warmup", "delay_loop", "alpha",
                            "log_all_failures" -> ignored(s);
                    default -> unknown(s);
                }
            });
        }

        @Override
        CheckerConfig build(CheckerCommon common, Inherit eff, GlobalDefs g) {
            return new CheckerConfig.SmtpCheck(common, helo.isPresent() ? helo : g.smtpHeloName());
        }
    }
}
