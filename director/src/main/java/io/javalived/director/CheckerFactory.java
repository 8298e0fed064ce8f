package io.javalived.director;

import io.javalived.checkers.CheckScheduler;
import io.javalived.checkers.CheckTiming;
import io.javalived.checkers.Checker;
import io.javalived.checkers.Endpoint;
import io.javalived.checkers.TcpChecker;
import io.javalived.checkers.HttpGetChecker;
import io.javalived.checkers.PingChecker;
import io.javalived.checkers.MiscChecker;
import io.javalived.checkers.SmtpChecker;
import io.javalived.checkers.DnsChecker;
import io.javalived.checkers.UdpChecker;
import io.javalived.checkers.FileChecker;
import io.javalived.checkers.StatusCodes;
import io.javalived.inet.RealServerKey;
import io.javalived.inet.InetText;
import io.javalived.config.model.CheckerCommon;
import io.javalived.config.model.CheckerConfig;
import io.javalived.config.model.HttpProtocol;
import io.javalived.config.model.KeepalivedConfig;
import io.javalived.config.model.RealServer;
import io.javalived.config.model.ReplyPattern;
import io.javalived.config.model.TrackFile;
import io.javalived.config.model.VirtualServer;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Builds runtime checkers from the parsed configuration (io.javalived.config.model). */
public final class CheckerFactory {
    private CheckerFactory() {}

    /** javalived's per-real-server extras, not in keepalived.conf's checker blocks: rise and fall (default 1/1). */
    public record Extras(int rise, int fall) {
        public static final Extras KEEPALIVED = new Extras(1, 1);
    }

    /** The identity the checkers and the director share for a real server of a virtual server. */
    public static RealServerKey realServerKey(VirtualServer vs, RealServer rs) {
        return RealServerKey.of(vs.key(), rs.address(), rs.port());
    }

    /** The timing of one checker block. */
    public static CheckTiming timing(CheckerCommon c, Extras x) {
        return new CheckTiming(c.delayLoop(), c.retry(), c.delayBeforeRetry(), c.warmup(), c.alpha(), c.logAllFailures(),
                x.rise(), x.fall());
    }

    static Endpoint endpoint(CheckerCommon c, VirtualServer vs) {
        return new Endpoint(new InetSocketAddress(c.connectIp(), c.connectPort()), c.bindTo().orElse(null), c.bindPort(),
                vs.protocol().keyword());
    }

    /**
     * One checker from its config block.
     *
     * @throws IllegalArgumentException with keepalived's wording and the block's origin when a value cannot be used
     */
    public static Checker checker(CheckerConfig cfg, VirtualServer vs, RealServer rs, KeepalivedConfig all) {
        CheckerCommon c = cfg.common();
        try {
            if (cfg instanceof CheckerConfig.TcpCheck) return new TcpChecker(endpoint(c, vs), c.connectTimeout());
            if (cfg instanceof CheckerConfig.HttpGetCheck h) {
                List<HttpGetChecker.Url> urls = new ArrayList<>();
                for (CheckerConfig.Url u : h.urls()) {
                    urls.add(new HttpGetChecker.Url(u.path(), u.digest().orElse(null), statusCodes(u.statusCodes()),
                            u.regex().map(Pattern::compile).orElse(null), u.regexNoMatch(), u.virtualhost().orElse(null)));
                }
                return new HttpGetChecker(endpoint(c, vs), c.connectTimeout(), h.ssl(), urls,
                        protocol(h.httpProtocol()),
                        h.virtualhost().orElse(null), h.enableSni(), h.sniName().orElse(null), false);
            }
            if (cfg instanceof CheckerConfig.PingCheck)
                return new PingChecker(c.connectIp(), c.connectTimeout(), endpoint(c, vs).trio());
            if (cfg instanceof CheckerConfig.MiscCheck m)
                return new MiscChecker(MiscChecker.join(m.miscPath().argv()), m.miscTimeout(),
                        m.dynamic(), m.user().or(() -> m.miscPath().user()).orElse(null),
                        m.group().or(() -> m.miscPath().group()).orElse(null),
                        InetText.trio(rs.address(), vs.protocol().keyword(), rs.port())
                                + " VS " + vs.key(), c.retry());
            if (cfg instanceof CheckerConfig.SmtpCheck s)
                return new SmtpChecker(endpoint(c, vs), c.connectTimeout(), s.heloName().orElse(null));
            if (cfg instanceof CheckerConfig.DnsCheck d)
                return new DnsChecker(endpoint(c, vs), c.connectTimeout(), d.queryType(), d.name());
            if (cfg instanceof CheckerConfig.UdpCheck u) {
                byte[] payload = u.payload().orElseGet(() -> {
                    byte[] b = new byte[16];
                    new SecureRandom().nextBytes(b); // keepalived: no payload = random bytes
                    return b;
                });
                ReplyPattern pattern = u.replyPattern().orElse(null);
                return new UdpChecker(endpoint(c, vs), c.connectTimeout(), payload, u.requireReply(), u.minReplyLength(),
                        u.maxReplyLength(), pattern == null ? null : pattern.bytes(),
                        pattern == null ? null : pattern.mask());
            }
            if (cfg instanceof CheckerConfig.FileCheck f) {
                TrackFile tf = all == null ? null : all.trackFiles().get(f.trackFile());
                if (tf == null) throw new IllegalArgumentException("track_file " + f.trackFile() + " not found");
                return new FileChecker(Path.of(tf.file()), f.weight(), f.reverse());
            }
            throw new IllegalArgumentException("unsupported checker " + cfg.type());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(cfg.type() + " at " + c.origin() + ": " + e.getMessage(), e);
        }
    }

    /** The checker's status code set for the config's (the ranges as read; no text parsed again). */
    static StatusCodes statusCodes(io.javalived.config.model.StatusCodes codes) {
        List<int[]> ranges = new ArrayList<>();
        for (io.javalived.config.model.StatusCodes.Range r : codes) ranges.add(new int[] {r.from(), r.to()});
        return StatusCodes.ofRanges(ranges);
    }

    /** The checker's http_protocol for the config's (1:1). */
    static HttpGetChecker.HttpProtocol protocol(HttpProtocol p) {
        if (p == null) return HttpGetChecker.HttpProtocol.HTTP_1_0;
        return switch (p) {
            case HTTP_1_0 -> HttpGetChecker.HttpProtocol.HTTP_1_0;
            case HTTP_1_0C -> HttpGetChecker.HttpProtocol.HTTP_1_0C;
            case HTTP_1_1 -> HttpGetChecker.HttpProtocol.HTTP_1_1;
        };
    }

    /** All checkers of a real server with their timings. */
    public static List<CheckScheduler.CheckSpec> specs(VirtualServer vs, RealServer rs, KeepalivedConfig all, Extras x) {
        List<CheckScheduler.CheckSpec> out = new ArrayList<>();
        for (CheckerConfig cc : rs.checkers())
            out.add(new CheckScheduler.CheckSpec(checker(cc, vs, rs, all), timing(cc.common(), x)));
        return out;
    }

    /**
     * Registers every real server that has checkers (a real server without checkers is always up: keepalived adds it
     * and never checks it). Returns the handles, in configuration order.
     */
    public static List<CheckScheduler.RealServerHandle> registerAll(CheckScheduler s, KeepalivedConfig cfg, Extras x) {
        List<CheckScheduler.RealServerHandle> out = new ArrayList<>();
        for (VirtualServer vs : cfg.virtualServers())
            for (RealServer rs : vs.realServers())
                if (!rs.checkers().isEmpty()) out.add(s.register(realServerKey(vs, rs), specs(vs, rs, cfg, x)));
        return out;
    }
}
