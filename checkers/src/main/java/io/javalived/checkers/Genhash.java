package io.javalived.checkers;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The digest keepalived's HTTP_GET compares (and {@code genhash} prints): MD5 over the response body — every byte
 * after the blank line that ends the headers, as received (no de-chunking, no decompression), stopping at
 * Content-Length when the server sent one — written as 32 lowercase hex digits.
 */
public final class Genhash {
    private final MessageDigest md5;

    public Genhash() {
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks MD5", e);
        }
    }

    public void update(byte[] b, int off, int len) {
        md5.update(b, off, len);
    }

    public void reset() {
        md5.reset();
    }

    public String hex() {
        return hex(md5.digest());
    }

    /** The digest of a whole body. */
    public static String of(byte[] body) {
        Genhash g = new Genhash();
        g.update(body, 0, body.length);
        return g.hex();
    }

    /** The digest of a raw HTTP response (status line + headers + body), as genhash computes it. */
    public static String ofResponse(byte[] response) {
        HttpResponseParser p = new HttpResponseParser(true);
        p.feed(response, 0, response.length);
        p.end();
        return p.digest();
    }

    static String hex(byte[] d) {
        StringBuilder sb = new StringBuilder(d.length * 2);
        for (byte x : d) sb.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
        return sb.toString();
    }

    /** Normalises a configured digest (keepalived accepts upper or lower case hex). */
    public static String normalise(String digest) {
        String d = digest.trim().toLowerCase(java.util.Locale.ROOT);
        if (!d.matches("[0-9a-f]{32}"))
            throw new IllegalArgumentException("digest '" + digest + "' must be 32 hex digits (an MD5 sum)");
        return d;
    }
}
