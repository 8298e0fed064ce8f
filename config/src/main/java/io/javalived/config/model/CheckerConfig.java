package io.javalived.config.model;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A real server's health checker block. */
public sealed interface CheckerConfig {
    CheckerCommon common();

    /** keepalived's block keyword: TCP_CHECK, HTTP_GET, SSL_GET, ... */
    String type();

    /** TCP_CHECK: connect succeeds = up. */
    record TcpCheck(CheckerCommon common) implements CheckerConfig {
        public String type() { return "TCP_CHECK"; }
    }

    /** HTTP_GET / SSL_GET (ssl = true). http_protocol default 1.0. */
    record HttpGetCheck(CheckerCommon common, boolean ssl, List<Url> urls, HttpProtocol httpProtocol,
                        boolean enableSni, Optional<String> sniName, Optional<String> virtualhost,
                        boolean fastRecovery) implements CheckerConfig {
        public HttpGetCheck {
            urls = List.copyOf(urls);
        }

        public String type() { return ssl ? "SSL_GET" : "HTTP_GET"; }
    }

    /**
     * url { path; digest; status_code; virtualhost; regex; regex_no_match }. statusCodes defaults to 200-299.
     * virtualhost is effective: url's, else the checker's, else the real server's, else the virtual server's.
     */
    record Url(String path, Optional<String> digest, StatusCodes statusCodes, Optional<String> regex,
               boolean regexNoMatch, Optional<String> virtualhost) {
        public boolean acceptsStatus(int code) {
            return statusCodes.contains(code);
        }
    }

    /** MISC_CHECK: misc_path, misc_timeout (default: delay_loop), misc_dynamic, user/group. */
    record MiscCheck(CheckerCommon common, NotifyScript miscPath, java.time.Duration miscTimeout,
                     boolean dynamic, Optional<String> user, Optional<String> group) implements CheckerConfig {
        public String type() { return "MISC_CHECK"; }
    }

    /** PING_CHECK: ICMP echo. */
    record PingCheck(CheckerCommon common) implements CheckerConfig {
        public String type() { return "PING_CHECK"; }
    }

    /** SMTP_CHECK: helo_name (empty = local host name). */
    record SmtpCheck(CheckerCommon common, Optional<String> heloName) implements CheckerConfig {
        public String type() { return "SMTP_CHECK"; }
    }

    /** DNS_CHECK: query type (default SOA) and name (default "."). */
    record DnsCheck(CheckerCommon common, String queryType, String name) implements CheckerConfig {
        public String type() { return "DNS_CHECK"; }
    }

    /**
     * UDP_CHECK: payload (empty = random), require_reply (present = a reply is required; with a pattern, its
     * leading bytes are compared where the pattern's mask bits are set), min/max reply length (default 0/255).
     * Compares the payload by content.
     */
    record UdpCheck(CheckerCommon common, Optional<byte[]> payload, boolean requireReply,
                    Optional<ReplyPattern> replyPattern, int minReplyLength, int maxReplyLength)
            implements CheckerConfig {
        public UdpCheck {
            payload = payload.map(byte[]::clone);
        }

        public String type() { return "UDP_CHECK"; }

        /** The payload (a copy); empty: random bytes are sent. */
        @Override
        public Optional<byte[]> payload() {
            return payload.map(byte[]::clone);
        }

        /** The payload in hex (lower case), as {@code javalived check} shows it. */
        public Optional<String> payloadHex() {
            return payload.map(HexFormat.of()::formatHex);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof UdpCheck u && common.equals(u.common) && requireReply == u.requireReply
                    && minReplyLength == u.minReplyLength && maxReplyLength == u.maxReplyLength
                    && replyPattern.equals(u.replyPattern) && payload.isPresent() == u.payload.isPresent()
                    && (payload.isEmpty() || Arrays.equals(payload.get(), u.payload.get()));
        }

        @Override
        public int hashCode() {
            return Objects.hash(common, requireReply, replyPattern, minReplyLength, maxReplyLength,
                    payload.map(Arrays::hashCode).orElse(0));
        }

        @Override
        public String toString() {
            return "UdpCheck[common=" + common + ", payload=" + payloadHex().orElse("(random)") + ", requireReply="
                    + requireReply + ", replyPattern=" + replyPattern.map(ReplyPattern::toString).orElse("(any)")
                    + ", minReplyLength=" + minReplyLength + ", maxReplyLength=" + maxReplyLength + "]";
        }
    }

    /** FILE_CHECK: track_file name, weight multiplier (default: the track_file's), reverse, dynamic. */
    record FileCheck(CheckerCommon common, String trackFile, int weight, boolean reverse, boolean dynamic)
            implements CheckerConfig {
        public String type() { return "FILE_CHECK"; }
    }
}
