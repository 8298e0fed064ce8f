package io.javalived.config.model;

import java.util.Arrays;

/**
 * UDP_CHECK {@code require_reply} data: the leading bytes a reply must have where {@link #mask()} has bits set
 * (an {@code x} nibble in the configuration is a wildcard: its mask nibble is 0). Compares by content;
 * {@link #toString()} is the pattern in hex with {@code x} for the wildcard nibbles, as normalized by the reader.
 */
public record ReplyPattern(byte[] bytes, byte[] mask) {
    public ReplyPattern {
        if (bytes.length != mask.length) {
            throw new IllegalArgumentException("reply pattern and mask differ in length");
        }
        bytes = bytes.clone();
        mask = mask.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public byte[] mask() {
        return mask.clone();
    }

    /** Number of bytes compared. */
    public int length() {
        return bytes.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReplyPattern p && Arrays.equals(bytes, p.bytes) && Arrays.equals(mask, p.mask);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(bytes) + Arrays.hashCode(mask);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(bytes.length * 2);
        for (int i = 0; i < bytes.length; i++) {
            for (int shift = 4; shift >= 0; shift -= 4) {
                sb.append(((mask[i] >> shift) & 0xf) == 0 ? 'x' : Character.forDigit((bytes[i] >> shift) & 0xf, 16));
            }
        }
        return sb.toString();
    }
}
