package io.javalived.ipvs;

/** Packet forwarding method of a destination (IP_VS_CONN_F_*), named as ipvsadm -L prints them. */
public enum Forwarding {
    /** NAT (-m). */
    MASQ(Ipvs.CONN_F_MASQ, "Masq"),
    /** The director itself. */
    LOCAL(Ipvs.CONN_F_LOCALNODE, "Local"),
    /** IP-in-IP / GUE / GRE tunnel (-i). */
    TUNNEL(Ipvs.CONN_F_TUNNEL, "Tunnel"),
    /** Direct routing (-g). */
    ROUTE(Ipvs.CONN_F_DROUTE, "Route");

    private final int flag;
    private final String display;

    Forwarding(int flag, String display) {
        this.flag = flag;
        this.display = display;
    }

    public int flag() {
        return flag;
    }

    /** "Masq", "Route"... as ipvsadm prints. */
    public String display() {
        return display;
    }

    public static Forwarding of(long connFlags) {
        int f = (int) (connFlags & Ipvs.CONN_F_FWD_MASK);
        for (Forwarding x : values()) {
            if (x.flag == f) {
                return x;
            }
        }
        return MASQ; // bypass (4) and friends cannot be configured; show as ipvsadm would: its default
    }
}
