package io.javalived.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The codec, byte for byte against messages written out by hand from linux/netlink.h's layouts. */
class NlMessageTest {
    private static final HexFormat HEX = HexFormat.of();

    private static byte[] hex(String s) {
        return HEX.parseHex(s.replace(" ", ""));
    }

    @Test
    void buildsGetFamilyRequest() {
        byte[] got = NlMessage.genl(Netlink.GENL_ID_CTRL, Netlink.NLM_F_ACK, Netlink.CTRL_CMD_GETFAMILY, 1)
                .string(Netlink.CTRL_ATTR_FAMILY_NAME, "IPVS").toBytes(1, 0);
        // nlmsghdr{len=32,type=0x10,flags=REQUEST|ACK,seq=1,pid=0} genlmsghdr{cmd=3,version=1} nla{len=9,type=2,"IPVS\0"}+pad
        assertThat(HEX.formatHex(got)).isEqualTo(HEX.formatHex(hex(
                "20000000 1000 0500 01000000 00000000 03010000 0900 0200 4950565300 000000")));
    }

    @Test
    void buildsEveryAttributeKindAligned() {
        NlMessage.Builder b = NlMessage.builder(0x20, 0).headerU8(9); // 1-byte family header, padded to 4
        int n = b.beginNested(1 | Netlink.NLA_F_NESTED);
        b.u32(2, 0x11223344L).u16be(3, 80).u8(4, 7);
        b.endNested(n);
        b.u64(5, 0x0102030405060708L).flag(6).u16(7, 0xabcd).bytes(8, new byte[] {1, 2, 3, 4, 5}).u32be(9, 0x0a000001L);
        byte[] got = b.toBytes(0x01020304, 0x99);
        String expect = "5c000000 2000 0100 04030201 99000000" // header: len 92
                + "09000000" // family header + padding
                + "1c00 0180" // nested, len 28, type 1|NLA_F_NESTED
                + "0800 0200 44332211" // u32 host order
                + "0600 0300 0050 0000" // u16 network order + 2 pad
                + "0500 0400 07 000000" // u8 + 3 pad
                + "0c00 0500 0807060504030201" // u64
                + "0400 0600" // flag
                + "0600 0700 cdab 0000" // u16
                + "0900 0800 0102030405 000000" // binary + pad
                + "0800 0900 0a000001"; // u32 network order
        assertThat(HEX.formatHex(got)).isEqualTo(HEX.formatHex(hex(expect)));
        assertThat(got.length).isEqualTo(92);
    }

    @Test
    void parsesWhatItBuilds() {
        NlMessage.Builder b = NlMessage.genl(42, Netlink.NLM_F_ACK, 5, 1);
        int n = b.beginNested(1 | Netlink.NLA_F_NESTED);
        b.u16(1, 2).string(2, "wlc").u16be(3, 443).u64(4, -2L).bytes(5, new byte[] {10, 0, 0, 1});
        b.endNested(n);
        b.u32(2, 0xfffffffeL);
        NlMessage m = NlMessage.of(b.toBytes(-5, 77));
        assertThat(m.type()).isEqualTo(42);
        assertThat(m.flags()).isEqualTo(Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK);
        assertThat(m.seq()).isEqualTo(-5);
        assertThat(Integer.toUnsignedString(m.seq())).isEqualTo("4294967291");
        assertThat(m.pid()).isEqualTo(77);
        assertThat(m.payloadU8(0)).isEqualTo(5);
        assertThat(m.payloadU8(1)).isEqualTo(1);
        NlAttrs top = m.attrs(Netlink.GENL_HDRLEN);
        assertThat(top.size()).isEqualTo(2);
        NlAttr nest = top.get(1);
        assertThat(nest.isNested()).isTrue();
        assertThat(nest.rawType()).isEqualTo(0x8001);
        NlAttrs in = nest.nested();
        assertThat(in.get(1).u16()).isEqualTo(2);
        assertThat(in.get(2).string()).isEqualTo("wlc");
        assertThat(in.get(2).length()).isEqualTo(4);
        assertThat(in.get(3).u16be()).isEqualTo(443);
        assertThat(in.get(4).u64()).isEqualTo(-2L);
        assertThat(in.get(5).bytes()).containsExactly(10, 0, 0, 1);
        assertThat(top.get(2).u32()).isEqualTo(0xfffffffeL);
        assertThat(top.get(2).s32()).isEqualTo(-2);
        assertThat(top.get(99)).isNull();
        assertThat(top.u32(99, 7)).isEqualTo(7);
        assertThat(top.nested(99).size()).isZero();
    }

    @Test
    void parsesErrorWithExtendedAck() {
        // NLMSG_ERROR, flags CAPPED|ACK_TLVS, seq 7, pid 1234; error -17 (EEXIST); the request's header; MSG "bad"
        byte[] raw = hex("2c000000 0200 0003 07000000 d2040000"
                + "efffffff"
                + "20000000 1000 0500 07000000 00000000"
                + "0800 0100 62616400");
        NlMessage m = NlMessage.of(raw);
        assertThat(m.isError()).isTrue();
        assertThat(m.errorCode()).isEqualTo(17);
        assertThat(m.errorRequestSeq()).isEqualTo(7);
        assertThat(m.extAckMessage()).isEqualTo("bad");
    }

    @Test
    void parsesAckWithoutTlvs() {
        byte[] raw = hex("24000000 0200 0001 09000000 d2040000 00000000 20000000 1000 0500 09000000 00000000");
        NlMessage m = NlMessage.of(raw);
        assertThat(m.errorCode()).isZero();
        assertThat(m.extAckMessage()).isNull();
    }

    @Test
    void splitsADatagramOfSeveralMessages() {
        byte[] a = NlMessage.builder(0x20, 0).u8(1, 1).toBytes(1, 0); // 24 bytes
        byte[] done = hex("14000000 0300 0200 01000000 00000000 00000000");
        byte[] dg = new byte[a.length + done.length];
        System.arraycopy(a, 0, dg, 0, a.length);
        System.arraycopy(done, 0, dg, a.length, done.length);
        List<NlMessage> ms = NlMessage.parseAll(dg, 0, dg.length);
        assertThat(ms).hasSize(2);
        assertThat(ms.get(0).attrs(0).get(1).u8()).isEqualTo(1);
        assertThat(ms.get(1).isDone()).isTrue();
        assertThat(ms.get(1).flags()).isEqualTo(Netlink.NLM_F_MULTI);
    }

    @Test
    void rejectsMalformedInput() {
        assertThatThrownBy(() -> NlMessage.parseAll(hex("ff000000 1000 0000 00000000 00000000"), 0, 16))
                .isInstanceOf(NetlinkFormatException.class).hasMessageContaining("bad netlink message length 255");
        assertThatThrownBy(() -> NlAttrs.parse(hex("0800 0100 0000")))
                .isInstanceOf(NetlinkFormatException.class).hasMessageContaining("bad attribute length 8");
        assertThatThrownBy(() -> NlAttrs.parse(hex("0200 0100")))
                .isInstanceOf(NetlinkFormatException.class);
        NlAttrs a = NlAttrs.parse(hex("0500 0100 07000000"));
        assertThatThrownBy(() -> a.get(1).u32()).isInstanceOf(NetlinkFormatException.class);
        assertThatThrownBy(() -> a.require(2, "X")).hasMessageContaining("missing attribute X (2)");
        NlMessage.Builder b = NlMessage.builder(0x20, 0);
        b.beginNested(1);
        assertThatThrownBy(() -> b.toBytes(1, 0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void repeatedAttributesAndNulInString() {
        NlAttrs a = NlAttrs.parse(NlMessage.builder(0x20, 0).u16(1, 5).u16(1, 6).bytes(2, "ab\0cd".getBytes())
                .toBytes(0, 0), 16, 28);
        assertThat(a.all(1)).extracting(NlAttr::u16).containsExactly(5, 6);
        assertThat(a.get(2).string()).isEqualTo("ab");
    }

    @Test
    void padsAnOddFamilyHeaderWithoutAttributes() {
        byte[] got = NlMessage.builder(0x20, 0).headerU8(2).toBytes(3, 0);
        assertThat(got).hasSize(20);
        assertThat(NlMessage.of(got).length()).isEqualTo(20);
        assertThat(NlMessage.of(got).payloadU8(0)).isEqualTo(2);
    }
}
