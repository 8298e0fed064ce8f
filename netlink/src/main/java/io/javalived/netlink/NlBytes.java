package io.javalived.netlink;

/** Little-endian (host order on x86_64/aarch64) reads and writes on byte arrays. */
final class NlBytes {
    private NlBytes() {
    }

    static int getU16(byte[] b, int off) {
        return (b[off] & 0xff) | ((b[off + 1] & 0xff) << 8);
    }

    static long getU32(byte[] b, int off) {
        return (b[off] & 0xffL) | ((b[off + 1] & 0xffL) << 8) | ((b[off + 2] & 0xffL) << 16)
                | ((b[off + 3] & 0xffL) << 24);
    }

    static int getS32(byte[] b, int off) {
        return (int) getU32(b, off);
    }

    static long getU64(byte[] b, int off) {
        return getU32(b, off) | (getU32(b, off + 4) << 32);
    }

    static void putU16(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
    }

    static void putU32(byte[] b, int off, long v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }

    static void putU64(byte[] b, int off, long v) {
        putU32(b, off, v);
        putU32(b, off + 4, v >>> 32);
    }

    /** "0a0b0c..." */
    static String hex(byte[] b, int off, int len) {
        StringBuilder sb = new StringBuilder(len * 2);
        for (int i = off; i < off + len; i++) {
            sb.append(Character.forDigit((b[i] >> 4) & 0xf, 16)).append(Character.forDigit(b[i] & 0xf, 16));
        }
        return sb.toString();
    }
}
