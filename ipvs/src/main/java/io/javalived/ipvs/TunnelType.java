package io.javalived.ipvs;

/** Encapsulation of a tunnelled destination (IP_VS_CONN_F_TUNNEL_TYPE_*). */
public enum TunnelType {
    IPIP, GUE, GRE;

    public static TunnelType of(int n) {
        return n >= 0 && n < values().length ? values()[n] : IPIP;
    }

    /** "ipip", "gue", "gre". */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
