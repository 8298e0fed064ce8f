package io.javalived.config;

import io.javalived.config.Values.BadValue;
import io.javalived.config.model.CheckerCommon;
import io.javalived.config.model.CheckerConfig;
import io.javalived.config.model.GlobalDefs;
import io.javalived.config.model.HttpProtocol;
import io.javalived.config.model.StatusCodes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * HTTP_GET and SSL_GET (keepalived's check_http.c): url { path digest status_code regex virtualhost },
 * http_protocol, virtualhost, enable_sni, fast_recovery; nb_get_retry as the old name of retry; port 80 / 443 and
 * delay_before_retry 3 s by default.
 */
final class HttpGetCheckParser extends CheckerParser {
    private final boolean ssl;

    HttpGetCheckParser(ParseContext cx, boolean ssl) {
        super(cx, ssl ? "SSL_GET" : "HTTP_GET");
        this.ssl = ssl;
    }


    @Override
    Duration defaultDelayBeforeRetry(Inherit eff) {
        return Duration.ofSeconds(3);
    }

    @Override
    int defaultPort() {
        return ssl ? 443 : 80;
    }

    @Override
    boolean needsPort() {
        return true;
    }

    @Override
    Draft draft(ConfigNode n) {
        return new HttpDraft(n);
    }

    private final class HttpDraft extends Draft {
        final List<UrlDraft> urls = new ArrayList<>();
        HttpProtocol httpProtocol = HttpProtocol.HTTP_1_0;
        boolean enableSni;
        Optional<String> sniName = Optional.empty();
        boolean fastRecovery;

        HttpDraft(ConfigNode n) {
            super(n);
        }

        @Override
        void keyword(ConfigNode s) throws ConfigException {
            switch (s.keyword) {
                case "url" -> {
                    if (needBlock(s)) {
                        urls.add(url(s));
                    }
                }
                case "http_protocol" -> {
                    String v = arg(s, 0);
                    httpProtocol = HttpProtocol.of(v)
                            .orElseThrow(() -> err(s, "unknown http_protocol '" + v + "' (1.0|1.0C|1.1)"));
                }
                case "virtualhost" -> inherit.virtualhost = arg(s, 0);
                case "enable_sni" -> enableSni = boolArg(s);
                case "sni_name" -> {
                    sniName = Optional.of(arg(s, 0));
                    enableSni = true;
                    warn(s, "'sni_name' is a javalived extension: keepalived 2.2.7 reports it as an unknown keyword"
                            + " (it sends the virtualhost as SNI when enable_sni is set)");
                }
                case "fast_recovery" -> fastRecovery = boolArg(s);
                default -> unknown(s);
            }
        }

        @Override
        CheckerConfig build(CheckerCommon common, Inherit eff, GlobalDefs g) throws ConfigException {
            if (urls.isEmpty()) {
                throw err(node, type + " has no url { path ... } - nothing to check");
            }
            List<CheckerConfig.Url> us = new ArrayList<>();
            for (UrlDraft u : urls) {
                us.add(u.build(eff.virtualhost));
            }
            return new CheckerConfig.HttpGetCheck(common, ssl, us, httpProtocol, enableSni, sniName,
                    Optional.ofNullable(eff.virtualhost), fastRecovery);
        }
    }

    /** One url { } block. */
    private final class UrlDraft {
        final ConfigNode node;
        String path;
        Optional<String> digest = Optional.empty();
        final List<StatusCodes.Range> codes = new ArrayList<>();
        Optional<String> regex = Optional.empty();
        boolean regexNoMatch;
        String virtualhost;

        UrlDraft(ConfigNode node) {
            this.node = node;
        }

        CheckerConfig.Url build(String inheritedVh) throws ConfigException {
            if (path == null) {
                throw err(node, "url has no path");
            }
            StatusCodes c = codes.isEmpty() ? StatusCodes.DEFAULT : new StatusCodes(codes);
            return new CheckerConfig.Url(path, digest, c, regex, regexNoMatch,
                    Optional.ofNullable(virtualhost != null ? virtualhost : inheritedVh));
        }
    }

    private UrlDraft url(ConfigNode s) {
        UrlDraft u = new UrlDraft(s);
        each(s, "virtual_server/real_server/" + type + "/url", k -> {
            noBlock(k);
            switch (k.keyword) {
                case "path" -> u.path = arg(k, 0);
                case "digest" -> {
                    String dg = arg(k, 0);
                    if (!dg.matches("[0-9a-fA-F]{32}")) {
                        throw err(k, "digest '" + dg + "' is not an MD5 digest (32 hex digits)");
                    }
                    if (u.digest.isPresent()) {
                        warn(k, "Digest '" + dg + "' is a duplicate");
                    }
                    u.digest = Optional.of(dg.toLowerCase(Locale.ROOT));
                }
                case "status_code" -> {
                    if (k.args.isEmpty()) {
                        note(k, "status_code without codes - ignored (default 200-299)");
                    }
                    for (String v : k.args) {
                        u.codes.add(statusRange(k, v));
                    }
                }
                case "regex" -> {
                    String re = arg(k, 0);
                    try {
                        Pattern.compile(re);
                    } catch (PatternSyntaxException e) {
                        note(k, "regex '" + re + "' does not compile as a Java regex (" + e.getDescription()
                                + "): this url check will fail");
                    }
                    u.regex = Optional.of(re);
                }
                case "regex_no_match" -> u.regexNoMatch = true;
                case "virtualhost" -> u.virtualhost = arg(k, 0);
                case "regex_options", "regex_stack", "regex_min_offset", "regex_max_offset" -> ignored(k);
                default -> unknown(k);
            }
        });
        return u;
    }

    private StatusCodes.Range statusRange(ConfigNode k, String v) throws ConfigException {
        try {
            int dash = v.indexOf('-', 1);
            if (dash > 0) {
                int a = Values.parseInt(v.substring(0, dash), 100, 999);
                int b = Values.parseInt(v.substring(dash + 1), 100, 999);
                if (b < a) {
                    throw new BadValue("empty range");
                }
                return new StatusCodes.Range(a, b);
            }
            int a = Values.parseInt(v, 100, 999);
            return new StatusCodes.Range(a, a);
        } catch (BadValue e) {
            throw err(k, "invalid status_code '" + v + "' (100..999 or a range like 200-299)");
        }
    }
}
