package io.javalived.config;

import io.javalived.config.model.CheckerCommon;
import io.javalived.config.model.CheckerConfig;
import io.javalived.config.model.GlobalDefs;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * DNS_CHECK (keepalived's check_dns.c): type (default SOA) and name (default "."); port 53, retry 3 and
 * delay_before_retry = delay_loop by default.
 */
final class DnsCheckParser extends CheckerParser {
    private static final Set<String> TYPES = Set.of("A", "NS", "CNAME", "SOA", "MX", "TXT", "AAAA");

    DnsCheckParser(ParseContext cx) {
        super(cx, "DNS_CHECK");
    }

    @Override
    int defaultRetry() {
        return 3;
    }

    @Override
    Duration defaultDelayBeforeRetry(Inherit eff) {
        return eff.delayLoop;
    }

    @Override
    int defaultPort() {
        return 53;
    }

    @Override
    Draft draft(ConfigNode n) {
        return new DnsDraft(n);
    }

    private final class DnsDraft extends Draft {
        String dnsType = "SOA";
        String dnsName = ".";

        DnsDraft(ConfigNode n) {
            super(n);
        }

        @Override
        void keyword(ConfigNode s) throws ConfigException {
            switch (s.keyword) {
                case "type" -> {
                    String t = arg(s, 0).toUpperCase(Locale.ROOT);
                    if (!TYPES.contains(t)) {
                        throw err(s, "unknown DNS query type '" + s.args.get(0) + "' (A|NS|CNAME|SOA|MX|TXT|AAAA)");
                    }
                    dnsType = t;
                }
                case "name" -> dnsName = arg(s, 0);
                default -> unknown(s);
            }
        }

        @Override
        CheckerConfig build(CheckerCommon common, Inherit eff, GlobalDefs g) {
            return new CheckerConfig.DnsCheck(common, dnsType, dnsName);
        }
    }
}
