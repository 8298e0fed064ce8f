package io.javalived.netlink.genl;

import io.javalived.netlink.Netlink;
import io.javalived.netlink.NetlinkException;
import io.javalived.netlink.NetlinkSocket;
import io.javalived.netlink.NlAttr;
import io.javalived.netlink.NlAttrs;
import io.javalived.netlink.NlMessage;
import io.javalived.netlink.ffi.Errno;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A generic netlink family as the kernel's controller (CTRL_CMD_GETFAMILY) describes it. */
public final class GenlFamily {
    private final int id;
    private final String name;
    private final int version;
    private final int headerSize;
    private final int maxAttr;
    private final Map<String, Integer> multicastGroups;

    public GenlFamily(int id, String name, int version, int headerSize, int maxAttr, Map<String, Integer> groups) {
        this.id = id;
        this.name = name;
        this.version = version;
        this.headerSize = headerSize;
        this.maxAttr = maxAttr;
        this.multicastGroups = Map.copyOf(groups);
    }

    /**
     * Resolves a family by name on a NETLINK_GENERIC socket. Throws {@link FamilyNotFoundException} when the kernel has
     * no such family (module not loaded, or not built).
     */
    public static GenlFamily resolve(NetlinkSocket socket, String name) throws NetlinkException {
        NlMessage.Builder req = request(name);
        List<NlMessage> replies;
        try {
            replies = socket.request(req);
        } catch (NetlinkException e) {
            if (e.errno() == Errno.ENOENT) {
                throw new FamilyNotFoundException(name);
            }
            throw e;
        }
        if (replies.isEmpty()) {
            throw new FamilyNotFoundException(name);
        }
        return parse(replies.get(0));
    }

    /** The CTRL_CMD_GETFAMILY request for a family name (version 1, as the controller expects). */
    public static NlMessage.Builder request(String name) {
        return NlMessage.genl(Netlink.GENL_ID_CTRL, 0, Netlink.CTRL_CMD_GETFAMILY, 1)
                .string(Netlink.CTRL_ATTR_FAMILY_NAME, name)
                .describe("CTRL_CMD_GETFAMILY " + name);
    }

    /** Parses a CTRL_CMD_NEWFAMILY answer. */
    public static GenlFamily parse(NlMessage m) {
        NlAttrs a = m.attrs(Netlink.GENL_HDRLEN);
        int id = a.require(Netlink.CTRL_ATTR_FAMILY_ID, "CTRL_ATTR_FAMILY_ID").u16();
        String name = a.string(Netlink.CTRL_ATTR_FAMILY_NAME, "");
        int version = (int) a.u32(Netlink.CTRL_ATTR_VERSION, 0);
        int hdr = (int) a.u32(Netlink.CTRL_ATTR_HDRSIZE, 0);
        int max = (int) a.u32(Netlink.CTRL_ATTR_MAXATTR, 0);
        Map<String, Integer> groups = new LinkedHashMap<>();
        for (NlAttr g : a.nested(Netlink.CTRL_ATTR_MCAST_GROUPS).list()) {
            NlAttrs ga = g.nested();
            NlAttr gn = ga.get(Netlink.CTRL_ATTR_MCAST_GRP_NAME);
            NlAttr gi = ga.get(Netlink.CTRL_ATTR_MCAST_GRP_ID);
            if (gn != null && gi != null) {
                groups.put(gn.string(), (int) gi.u32());
            }
        }
        return new GenlFamily(id, name, version, hdr, max, groups);
    }

    public int id() {
        return id;
    }

    public String name() {
        return name;
    }

    public int version() {
        return version;
    }

    public int headerSize() {
        return headerSize;
    }

    public int maxAttr() {
        return maxAttr;
    }

    public Map<String, Integer> multicastGroups() {
        return multicastGroups;
    }

    @Override
    public String toString() {
        return "GenlFamily{" + name + " id=" + id + " version=" + version + " maxattr=" + maxAttr
                + (multicastGroups.isEmpty() ? "" : " groups=" + multicastGroups) + "}";
    }

    /** The kernel has no generic netlink family of this name (ENOENT from the controller). */
    public static final class FamilyNotFoundException extends NetlinkException {
        private final String family;

        public FamilyNotFoundException(String family) {
            super("CTRL_CMD_GETFAMILY " + family, Errno.ENOENT, "generic netlink family " + family + " not found");
            this.family = family;
        }

        public String family() {
            return family;
        }
    }
}
