package io.javalived.netlink;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A netlink message: struct nlmsghdr (len u32, type u16, flags u16, seq u32, pid u32), then the payload (a family
 * header such as genlmsghdr or ifinfomsg, then attributes). Parsed messages are immutable copies; build requests
 * with {@link #builder(int, int)}.
 */
public final class NlMessage {
    private final byte[] buf; // exactly this message, header included

    private NlMessage(byte[] buf) {
        this.buf = buf;
    }

    /** Wraps one complete message (its nlmsg_len must equal the array length, up to alignment padding). */
    public static NlMessage of(byte[] message) {
        List<NlMessage> all = parseAll(message, 0, message.length);
        if (all.size() != 1) {
            throw new NetlinkFormatException("expected one message, found " + all.size());
        }
        return all.get(0);
    }

    /** Splits a received datagram into its messages. */
    public static List<NlMessage> parseAll(byte[] b, int off, int len) {
        List<NlMessage> out = new ArrayList<>(4);
        int pos = off;
        int end = off + len;
        while (end - pos >= Netlink.NLMSG_HDRLEN) {
            long mlen = NlBytes.getU32(b, pos);
            if (mlen < Netlink.NLMSG_HDRLEN || mlen > end - pos) {
                throw new NetlinkFormatException("bad netlink message length " + mlen + " at offset " + (pos - off)
                        + " of " + len);
            }
            out.add(new NlMessage(Arrays.copyOfRange(b, pos, pos + (int) mlen)));
            pos += Netlink.align((int) mlen);
        }
        return out;
    }

    public int length() {
        return buf.length;
    }

    public int type() {
        return NlBytes.getU16(buf, 4);
    }

    public int flags() {
        return NlBytes.getU16(buf, 6);
    }

    /** The sequence number as an unsigned value in an int. */
    public int seq() {
        return NlBytes.getS32(buf, 8);
    }

    public int pid() {
        return NlBytes.getS32(buf, 12);
    }

    public boolean isError() {
        return type() == Netlink.NLMSG_ERROR;
    }

    public boolean isDone() {
        return type() == Netlink.NLMSG_DONE;
    }

    /** The whole message, header included (a copy). */
    public byte[] bytes() {
        return buf.clone();
    }

    /** Payload length (after the 16-byte header). */
    public int payloadLength() {
        return buf.length - Netlink.NLMSG_HDRLEN;
    }

    public int payloadU8(int offset) {
        return buf[Netlink.NLMSG_HDRLEN + offset] & 0xff;
    }

    public int payloadU16(int offset) {
        return NlBytes.getU16(buf, Netlink.NLMSG_HDRLEN + offset);
    }

    public long payloadU32(int offset) {
        return NlBytes.getU32(buf, Netlink.NLMSG_HDRLEN + offset);
    }

    public int payloadS32(int offset) {
        return NlBytes.getS32(buf, Netlink.NLMSG_HDRLEN + offset);
    }

    public byte[] payload(int offset, int len) {
        return Arrays.copyOfRange(buf, Netlink.NLMSG_HDRLEN + offset, Netlink.NLMSG_HDRLEN + offset + len);
    }

    /** The attributes after a family header of {@code familyHeaderLen} bytes (4 for generic netlink). */
    public NlAttrs attrs(int familyHeaderLen) {
        int start = Netlink.NLMSG_HDRLEN + Netlink.align(familyHeaderLen);
        if (start > buf.length) {
            throw new NetlinkFormatException("message of " + buf.length + " bytes is shorter than its family header");
        }
        return NlAttrs.parse(buf, start, buf.length - start);
    }

    // ---- NLMSG_ERROR -----------------------------------------------------------------------------------------

    /** For an NLMSG_ERROR message: the error as a positive errno (0 for an ACK). */
    public int errorCode() {
        requireError();
        return -NlBytes.getS32(buf, Netlink.NLMSG_HDRLEN);
    }

    /** For an NLMSG_ERROR message: the sequence number of the request it answers. */
    public int errorRequestSeq() {
        requireError();
        return buf.length >= Netlink.NLMSG_HDRLEN + 4 + 16 ? NlBytes.getS32(buf, Netlink.NLMSG_HDRLEN + 4 + 8) : seq();
    }

    /** For an NLMSG_ERROR message: the kernel's extended-ack text (NLMSGERR_ATTR_MSG), or null. */
    public String extAckMessage() {
        requireError();
        if ((flags() & Netlink.NLM_F_ACK_TLVS) == 0) {
            return null;
        }
        int origAt = Netlink.NLMSG_HDRLEN + 4;
        if (buf.length < origAt + Netlink.NLMSG_HDRLEN) {
            return null;
        }
        int origLen = (flags() & Netlink.NLM_F_CAPPED) != 0 ? Netlink.NLMSG_HDRLEN
                : Netlink.align((int) NlBytes.getU32(buf, origAt));
        int tlv = origAt + origLen;
        if (tlv >= buf.length) {
            return null;
        }
        try {
            NlAttr msg = NlAttrs.parse(buf, tlv, buf.length - tlv).get(Netlink.NLMSGERR_ATTR_MSG);
            return msg == null ? null : msg.string();
        } catch (NetlinkFormatException e) {
            return null;
        }
    }

    private void requireError() {
        if (!isError() || buf.length < Netlink.NLMSG_HDRLEN + 4) {
            throw new NetlinkFormatException("not an NLMSG_ERROR message: " + this);
        }
    }

    /** Hex dump of the whole message. */
    public String hex() {
        return NlBytes.hex(buf, 0, buf.length);
    }

    @Override
    public String toString() {
        return "NlMessage{" + Netlink.typeName(type()) + ", flags=0x" + Integer.toHexString(flags()) + ", seq="
                + Integer.toUnsignedString(seq()) + ", pid=" + Integer.toUnsignedString(pid()) + ", len="
                + buf.length + "}";
    }

    // ---- building ---------------------------------------------------------------------------------------------

    /** A request builder; {@link Netlink#NLM_F_REQUEST} is added to the flags. */
    public static Builder builder(int type, int flags) {
        return new Builder(type, flags | Netlink.NLM_F_REQUEST);
    }

    /** A generic netlink request: nlmsghdr + genlmsghdr {cmd, version, reserved}. */
    public static Builder genl(int familyId, int flags, int cmd, int version) {
        return builder(familyId, flags).headerU8(cmd).headerU8(version).headerU16(0);
    }

    /**
     * Builds one message. The family header goes first (header* methods, raw, unaligned), then attributes (always
     * 4-byte aligned, padding zeroed). The length, sequence number and port id are filled in by
     * {@link #toBytes(int, int)}.
     */
    public static final class Builder {
        private byte[] b = new byte[64];
        private int pos = Netlink.NLMSG_HDRLEN;
        private int type;
        private int flags;
        private Object description; // a String, or a Supplier<String> evaluated only when needed
        private int openNests;

        private Builder(int type, int flags) {
            this.type = type;
            this.flags = flags;
        }

        public int type() {
            return type;
        }

        public int flags() {
            return flags;
        }

        public Builder flags(int newFlags) {
            this.flags = newFlags;
            return this;
        }

        public Builder addFlags(int more) {
            this.flags |= more;
            return this;
        }

        /** What this request does, for error messages ("IPVS_CMD_NEW_SERVICE TCP 10.0.0.1:80"). */
        public Builder describe(String what) {
            this.description = what;
            return this;
        }

        /** Like {@link #describe(String)}, computed only if the description is asked for (errors, logs). */
        public Builder describe(java.util.function.Supplier<String> what) {
            this.description = what;
            return this;
        }

        public String description() {
            if (description instanceof java.util.function.Supplier<?> s) {
                description = String.valueOf(s.get());
            }
            return description != null ? (String) description : "netlink request type " + type;
        }

        private void ensure(int n) {
            if (pos + n > b.length) {
                b = Arrays.copyOf(b, Math.max(b.length * 2, pos + n + 64));
            }
        }

        // raw family header

        public Builder headerU8(int v) {
            ensure(1);
            b[pos++] = (byte) v;
            return this;
        }

        public Builder headerU16(int v) {
            ensure(2);
            NlBytes.putU16(b, pos, v);
            pos += 2;
            return this;
        }

        public Builder headerU32(long v) {
            ensure(4);
            NlBytes.putU32(b, pos, v);
            pos += 4;
            return this;
        }

        public Builder headerBytes(byte[] v) {
            ensure(v.length);
            System.arraycopy(v, 0, b, pos, v.length);
            pos += v.length;
            return this;
        }

        /** Zero-pads the family header to 4 bytes (done automatically before the first attribute). */
        public Builder alignHeader() {
            int to = Netlink.align(pos);
            ensure(to - pos);
            while (pos < to) {
                b[pos++] = 0;
            }
            return this;
        }

        // attributes

        private void attrHeader(int attrType, int valueLen) {
            alignHeader();
            ensure(Netlink.NLA_HDRLEN + Netlink.align(valueLen));
            NlBytes.putU16(b, pos, Netlink.NLA_HDRLEN + valueLen);
            NlBytes.putU16(b, pos + 2, attrType);
            pos += Netlink.NLA_HDRLEN;
        }

        private void pad() {
            while ((pos & 3) != 0) {
                b[pos++] = 0;
            }
        }

        public Builder u8(int attrType, int v) {
            attrHeader(attrType, 1);
            b[pos++] = (byte) v;
            pad();
            return this;
        }

        public Builder u16(int attrType, int v) {
            attrHeader(attrType, 2);
            NlBytes.putU16(b, pos, v);
            pos += 2;
            pad();
            return this;
        }

        /** A 16-bit value in network byte order (ports). */
        public Builder u16be(int attrType, int v) {
            attrHeader(attrType, 2);
            b[pos] = (byte) (v >>> 8);
            b[pos + 1] = (byte) v;
            pos += 2;
            pad();
            return this;
        }

        public Builder u32(int attrType, long v) {
            attrHeader(attrType, 4);
            NlBytes.putU32(b, pos, v);
            pos += 4;
            return this;
        }

        public Builder u32be(int attrType, long v) {
            attrHeader(attrType, 4);
            b[pos] = (byte) (v >>> 24);
            b[pos + 1] = (byte) (v >>> 16);
            b[pos + 2] = (byte) (v >>> 8);
            b[pos + 3] = (byte) v;
            pos += 4;
            return this;
        }

        public Builder u64(int attrType, long v) {
            attrHeader(attrType, 8);
            NlBytes.putU64(b, pos, v);
            pos += 8;
            return this;
        }

        /** A NUL-terminated string. */
        public Builder string(int attrType, String v) {
            byte[] s = v.getBytes(StandardCharsets.UTF_8);
            attrHeader(attrType, s.length + 1);
            System.arraycopy(s, 0, b, pos, s.length);
            pos += s.length;
            b[pos++] = 0;
            pad();
            return this;
        }

        public Builder bytes(int attrType, byte[] v) {
            attrHeader(attrType, v.length);
            System.arraycopy(v, 0, b, pos, v.length);
            pos += v.length;
            pad();
            return this;
        }

        /** A zero-length attribute (NLA_FLAG). */
        public Builder flag(int attrType) {
            attrHeader(attrType, 0);
            return this;
        }

        /**
         * Opens a nested attribute; {@code attrType} is written as given (OR in {@link Netlink#NLA_F_NESTED} if the
         * family wants it). Returns a mark for {@link #endNested(int)}.
         */
        public int beginNested(int attrType) {
            attrHeader(attrType, 0);
            openNests++;
            return pos - Netlink.NLA_HDRLEN;
        }

        public Builder endNested(int mark) {
            if (openNests == 0) {
                throw new IllegalStateException("endNested without beginNested");
            }
            openNests--;
            NlBytes.putU16(b, mark, pos - mark);
            return this;
        }

        /** Bytes written so far, header included (the final nlmsg_len). */
        public int length() {
            return pos;
        }

        /** The finished message with this sequence number and port id (0 = to the kernel). */
        public byte[] toBytes(int seq, int pid) {
            alignHeader(); // a family header of odd length and no attributes: pad before sizing the copy
            byte[] out = new byte[pos];
            writeTo(out, 0, seq, pid);
            return out;
        }

        /** Writes the finished message at {@code off}; returns the number of bytes written (a multiple of 4). */
        public int writeTo(byte[] out, int off, int seq, int pid) {
            if (openNests != 0) {
                throw new IllegalStateException(openNests + " nested attribute(s) left open");
            }
            alignHeader();
            System.arraycopy(b, 0, out, off, pos);
            NlBytes.putU32(out, off, pos);
            NlBytes.putU16(out, off + 4, type);
            NlBytes.putU16(out, off + 6, flags);
            NlBytes.putU32(out, off + 8, seq & 0xffffffffL);
            NlBytes.putU32(out, off + 12, pid & 0xffffffffL);
            return pos;
        }
    }
}
