package io.javalived.netlink;

/** Netlink constants from linux/netlink.h, linux/genetlink.h and linux/rtnetlink.h (the ones javalived uses). */
public final class Netlink {
    private Netlink() {
    }

    // protocols
    public static final int NETLINK_ROUTE = 0, NETLINK_GENERIC = 16;

    /** sizeof(struct nlmsghdr) and sizeof(struct nlattr). */
    public static final int NLMSG_HDRLEN = 16, NLA_HDRLEN = 4;

    // message types
    public static final int NLMSG_NOOP = 1, NLMSG_ERROR = 2, NLMSG_DONE = 3, NLMSG_OVERRUN = 4;
    /** The first type a protocol may use for its own messages. */
    public static final int NLMSG_MIN_TYPE = 0x10;

    // nlmsg_flags
    public static final int NLM_F_REQUEST = 0x1, NLM_F_MULTI = 0x2, NLM_F_ACK = 0x4, NLM_F_ECHO = 0x8,
            NLM_F_DUMP_INTR = 0x10, NLM_F_DUMP_FILTERED = 0x20;
    public static final int NLM_F_ROOT = 0x100, NLM_F_MATCH = 0x200, NLM_F_ATOMIC = 0x400,
            NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;
    public static final int NLM_F_REPLACE = 0x100, NLM_F_EXCL = 0x200, NLM_F_CREATE = 0x400, NLM_F_APPEND = 0x800;
    /** Flags of an NLMSG_ERROR message: the request's payload was left out / extended-ack TLVs follow. */
    public static final int NLM_F_CAPPED = 0x100, NLM_F_ACK_TLVS = 0x200;

    // attribute type flags
    public static final int NLA_F_NESTED = 1 << 15, NLA_F_NET_BYTEORDER = 1 << 14,
            NLA_TYPE_MASK = ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER) & 0xffff;

    // extended ack attributes (enum nlmsgerr_attrs)
    public static final int NLMSGERR_ATTR_MSG = 1, NLMSGERR_ATTR_OFFS = 2, NLMSGERR_ATTR_COOKIE = 3;

    // SOL_NETLINK socket options
    public static final int SOL_NETLINK = 270;
    public static final int NETLINK_ADD_MEMBERSHIP = 1, NETLINK_DROP_MEMBERSHIP = 2, NETLINK_PKTINFO = 3,
            NETLINK_BROADCAST_ERROR = 4, NETLINK_NO_ENOBUFS = 5, NETLINK_LISTEN_ALL_NSID = 8, NETLINK_CAP_ACK = 10,
            NETLINK_EXT_ACK = 11, NETLINK_GET_STRICT_CHK = 12;

    // generic netlink
    public static final int GENL_HDRLEN = 4;
    public static final int GENL_ID_CTRL = 0x10;
    public static final int CTRL_CMD_NEWFAMILY = 1, CTRL_CMD_DELFAMILY = 2, CTRL_CMD_GETFAMILY = 3;
    public static final int CTRL_ATTR_FAMILY_ID = 1, CTRL_ATTR_FAMILY_NAME = 2, CTRL_ATTR_VERSION = 3,
            CTRL_ATTR_HDRSIZE = 4, CTRL_ATTR_MAXATTR = 5, CTRL_ATTR_OPS = 6, CTRL_ATTR_MCAST_GROUPS = 7;
    public static final int CTRL_ATTR_MCAST_GRP_NAME = 1, CTRL_ATTR_MCAST_GRP_ID = 2;

    /** Rounds up to the 4-byte netlink alignment. */
    public static int align(int len) {
        return (len + 3) & ~3;
    }

    /** "NLMSG_ERROR", "NLMSG_DONE"... or the number. */
    public static String typeName(int type) {
        switch (type) {
            case NLMSG_NOOP: return "NLMSG_NOOP";
            case NLMSG_ERROR: return "NLMSG_ERROR";
            case NLMSG_DONE: return "NLMSG_DONE";
            case NLMSG_OVERRUN: return "NLMSG_OVERRUN";
            default: return "type " + type;
        }
    }
}
