package io.javalived.config;

import io.javalived.config.model.CheckerCommon;
import io.javalived.config.model.CheckerConfig;
import io.javalived.config.model.GlobalDefs;
import io.javalived.config.model.ReplyPattern;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * UDP_CHECK (keepalived's check_udp.c): payload and require_reply in keepalived's free-form hex ('x' nibbles are
 * wildcards in the reply pattern), min_reply_length and max_reply_length (default 0..255); a port is required.
 */
final class UdpCheckParser extends CheckerParser {
    UdpCheckParser(ParseContext cx) {
        super(cx, "UDP_CHECK");
    }

    @Override
    boolean needsPort() {
        return true;
    }

    @Override
    Draft draft(ConfigNode n) {
        return new UdpDraft(n);
    }

    private final class UdpDraft extends Draft {
        Optional<byte[]> payload = Optional.empty();
        boolean requireReply;
        Optional<ReplyPattern> replyPattern = Optional.empty();
        int minReply = 0;
        int maxReply = 255;

        UdpDraft(ConfigNode n) {
            super(n);
        }

        @Override
        void keyword(ConfigNode s) throws ConfigException {
            switch (s.keyword) {
                case "payload" -> payload = Optional.of(HexFormat.of().parseHex(
                        hex(s, String.join(" ", s.args), false)));
                case "require_reply" -> {
                    requireReply = true;
                    replyPattern = s.args.isEmpty() ? Optional.empty()
                            : Optional.of(pattern(hex(s, String.join(" ", s.args), true)));
                }
                case "min_reply_length" -> minReply = intArg(s, 0, 0, 65535);
                case "max_reply_length" -> maxReply = intArg(s, 0, 0, 65535);
                default -> unknown(s);
            }
        }

        @Override
        CheckerConfig build(CheckerCommon common, Inherit eff, GlobalDefs g) throws ConfigException {
            if (minReply > maxReply) {
                throw err(node, "min_reply_length " + minReply + " is greater than max_reply_length " + maxReply);
            }
            return new CheckerConfig.UdpCheck(common, payload, requireReply, replyPattern, minReply, maxReply);
        }
    }

    /** Hex digits (even count) with 'x' wildcard nibbles as the bytes to compare and their mask. */
    private static ReplyPattern pattern(String hex) {
        byte[] bytes = new byte[hex.length() / 2];
        byte[] mask = new byte[bytes.length];
        for (int i = 0; i < hex.length(); i++) {
            char c = hex.charAt(i);
            int shift = i % 2 == 0 ? 4 : 0;
            if (c != 'x') {
                bytes[i / 2] |= (byte) (Character.digit(c, 16) << shift);
                mask[i / 2] |= (byte) (0xf << shift);
            }
        }
        return new ReplyPattern(bytes, mask);
    }

    /**
     * keepalived's free-form hex: groups of digits; an odd group's last digit is a low nibble. Returns the digits in
     * lower case, an even number of them.
     */
    private String hex(ConfigNode s, String text, boolean allowX) throws ConfigException {
        StringBuilder out = new StringBuilder();
        for (String group : text.trim().split("\\s+")) {
            if (group.isEmpty()) {
                continue;
            }
            for (int i = 0; i < group.length(); i++) {
                char ch = Character.toLowerCase(group.charAt(i));
                boolean ok = Character.digit(ch, 16) >= 0 || allowX && ch == 'x';
                if (!ok) {
                    throw err(s, "invalid hex string '" + text + "'");
                }
            }
            String g = group.toLowerCase(Locale.ROOT);
            if (g.length() % 2 == 1) {
                g = g.substring(0, g.length() - 1) + "0" + g.charAt(g.length() - 1);
            }
            out.append(g);
        }
        if (out.length() == 0) {
            throw err(s, "empty hex string");
        }
        return out.toString();
    }
}
