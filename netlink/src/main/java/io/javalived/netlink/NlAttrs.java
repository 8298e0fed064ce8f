package io.javalived.netlink;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A parsed run of netlink attributes, in wire order. Lookup by type returns the first match. */
public final class NlAttrs {
    private static final NlAttrs EMPTY = new NlAttrs(List.of());
    private final List<NlAttr> attrs;

    private NlAttrs(List<NlAttr> attrs) {
        this.attrs = attrs;
    }

    /**
     * Parses {@code len} bytes at {@code off}. Each attribute is {u16 len, u16 type, value, padding to 4}; a length
     * shorter than the header or running past the end is a format error.
     */
    public static NlAttrs parse(byte[] buf, int off, int len) {
        if (len <= 0) {
            return EMPTY;
        }
        List<NlAttr> list = new ArrayList<>();
        int pos = off;
        int end = off + len;
        while (end - pos >= Netlink.NLA_HDRLEN) {
            int alen = NlBytes.getU16(buf, pos);
            int type = NlBytes.getU16(buf, pos + 2);
            if (alen < Netlink.NLA_HDRLEN || pos + alen > end) {
                throw new NetlinkFormatException("bad attribute length " + alen + " at offset " + (pos - off)
                        + " of " + len);
            }
            list.add(new NlAttr(buf, type, pos + Netlink.NLA_HDRLEN, alen - Netlink.NLA_HDRLEN));
            pos += Netlink.align(alen);
        }
        return new NlAttrs(Collections.unmodifiableList(list));
    }

    public static NlAttrs parse(byte[] buf) {
        return parse(buf, 0, buf.length);
    }

    /** The first attribute of this type, or null. */
    public NlAttr get(int type) {
        for (NlAttr a : attrs) {
            if (a.type() == type) {
                return a;
            }
        }
        return null;
    }

    public boolean has(int type) {
        return get(type) != null;
    }

    /** Every attribute of this type (e.g. the entries of a nested array). */
    public List<NlAttr> all(int type) {
        List<NlAttr> out = new ArrayList<>();
        for (NlAttr a : attrs) {
            if (a.type() == type) {
                out.add(a);
            }
        }
        return out;
    }

    public List<NlAttr> list() {
        return attrs;
    }

    public int size() {
        return attrs.size();
    }

    /** Required attribute: throws a format error naming what is missing. */
    public NlAttr require(int type, String what) {
        NlAttr a = get(type);
        if (a == null) {
            throw new NetlinkFormatException("missing attribute " + what + " (" + type + ")");
        }
        return a;
    }

    public long u32(int type, long dflt) {
        NlAttr a = get(type);
        return a == null ? dflt : a.u32();
    }

    public int u16(int type, int dflt) {
        NlAttr a = get(type);
        return a == null ? dflt : a.u16();
    }

    public int u8(int type, int dflt) {
        NlAttr a = get(type);
        return a == null ? dflt : a.u8();
    }

    public long u64(int type, long dflt) {
        NlAttr a = get(type);
        return a == null ? dflt : a.u64();
    }

    public String string(int type, String dflt) {
        NlAttr a = get(type);
        return a == null ? dflt : a.string();
    }

    public NlAttrs nested(int type) {
        NlAttr a = get(type);
        return a == null ? EMPTY : a.nested();
    }

    @Override
    public String toString() {
        return attrs.toString();
    }
}
