package io.javalived.config.model;

/**
 * The encapsulation of a tunnelled (lb_kind TUN) server: {@code TUN [type ipip|gue|gre] [port N] [nocsum|csum|remcsum]}.
 * IPIP (the default) has no port and no checksum option; GUE needs its UDP port; GRE has no remote checksum.
 */
public record Tunnel(Type type, int port, Checksum checksum) {
    public enum Type { IPIP, GUE, GRE }

    /** IP_VS_TUNNEL_ENCAP_FLAG_NOCSUM / CSUM / REMCSUM. */
    public enum Checksum { NOCSUM, CSUM, REMCSUM }

    public static final Tunnel IPIP = new Tunnel(Type.IPIP, 0, Checksum.NOCSUM);

    public Tunnel {
        if (type == null || checksum == null) {
            throw new NullPointerException("type/checksum");
        }
    }

    /** "ipip", "gue port 6080 csum", "gre" as the configuration writes it. */
    @Override
    public String toString() {
        String s = type.name().toLowerCase(java.util.Locale.ROOT);
        if (type == Type.GUE) {
            s += " port " + port;
        }
        if (checksum != Checksum.NOCSUM) {
            s += " " + checksum.name().toLowerCase(java.util.Locale.ROOT);
        }
        return s;
    }
}
