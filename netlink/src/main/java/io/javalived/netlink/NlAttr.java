package io.javalived.netlink;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One parsed netlink attribute (struct nlattr + value), a view on a message buffer. Integers are host byte order
 * (little-endian on the architectures javalived runs on) unless the accessor says "be" (network order).
 */
public final class NlAttr {
    private final byte[] buf;
    private final int rawType;
    private final int valueOffset;
    private final int valueLength;

    NlAttr(byte[] buf, int rawType, int valueOffset, int valueLength) {
        this.buf = buf;
        this.rawType = rawType;
        this.valueOffset = valueOffset;
        this.valueLength = valueLength;
    }

    /** The attribute type without the NLA_F_NESTED / NLA_F_NET_BYTEORDER flags. */
    public int type() {
        return rawType & Netlink.NLA_TYPE_MASK;
    }

    /** The type as on the wire, flags included. */
    public int rawType() {
        return rawType;
    }

    public boolean isNested() {
        return (rawType & Netlink.NLA_F_NESTED) != 0;
    }

    public int length() {
        return valueLength;
    }

    private void need(int n) {
        if (valueLength < n) {
            throw new NetlinkFormatException("attribute " + type() + " has " + valueLength + " bytes, expected " + n);
        }
    }

    public int u8() {
        need(1);
        return buf[valueOffset] & 0xff;
    }

    public int u16() {
        need(2);
        return NlBytes.getU16(buf, valueOffset);
    }

    /** A 16-bit value in network byte order (ports). */
    public int u16be() {
        need(2);
        return ((buf[valueOffset] & 0xff) << 8) | (buf[valueOffset + 1] & 0xff);
    }

    /** Unsigned 32-bit value as a long. */
    public long u32() {
        need(4);
        return NlBytes.getU32(buf, valueOffset);
    }

    /** A 32-bit value as a Java int (bit pattern preserved). */
    public int s32() {
        need(4);
        return (int) NlBytes.getU32(buf, valueOffset);
    }

    public long u32be() {
        need(4);
        return ((long) (buf[valueOffset] & 0xff) << 24) | ((buf[valueOffset + 1] & 0xff) << 16)
                | ((buf[valueOffset + 2] & 0xff) << 8) | (buf[valueOffset + 3] & 0xff);
    }

    public long u64() {
        need(8);
        return NlBytes.getU64(buf, valueOffset);
    }

    /** A NUL-terminated string (the terminator and anything after it dropped). */
    public String string() {
        int end = valueOffset;
        int limit = valueOffset + valueLength;
        while (end < limit && buf[end] != 0) {
            end++;
        }
        return new String(buf, valueOffset, end - valueOffset, StandardCharsets.UTF_8);
    }

    public byte[] bytes() {
        return Arrays.copyOfRange(buf, valueOffset, valueOffset + valueLength);
    }

    /** The attributes nested in this one. */
    public NlAttrs nested() {
        return NlAttrs.parse(buf, valueOffset, valueLength);
    }

    @Override
    public String toString() {
        return "NlAttr{type=" + type() + (isNested() ? ",nested" : "") + ",len=" + valueLength + "}";
    }
}
