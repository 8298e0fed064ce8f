package io.javalived.checkers;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Incremental parser of an HTTP/1.x response as HTTP_GET reads it: status line, headers, then the body bytes, which it
 * hashes (MD5, see {@link Genhash}) and, when asked, keeps for the regex. Pure: feed bytes, then {@link #end()}.
 */
public final class HttpResponseParser {
    /** Max header bytes accepted. */
    static final int MAX_HEADER = 64 * 1024;
    /** Max body bytes kept for the regex (the digest covers everything). */
    static final int MAX_KEPT_BODY = 1 << 20;

    private final boolean keepBody;
    /** The header bytes (status line included) until the blank line; grown on demand, kept between replies. */
    private byte[] head = new byte[512];
    private int headLen;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final Genhash hash; // null when no digest is wanted (MD5 over every reply costs)
    private boolean headersDone;
    private int last3;
    private int statusCode = -1;
    private long contentLength = -1;
    private long bodyBytes;
    private String error;
    private String digest;

    public HttpResponseParser(boolean keepBody) {
        this(keepBody, true);
    }

    /** @param hashBody whether {@link #digest()} is wanted (else it returns null) */
    public HttpResponseParser(boolean keepBody, boolean hashBody) {
        this.keepBody = keepBody;
        this.hash = hashBody ? new Genhash() : null;
    }

    /**
     * Feed received bytes. Returns true when reading may stop because the header is unusable. Content-Length does not
     * end the reply (keepalived reads to the end of the stream); it only bounds the bytes the digest covers.
     */
    public boolean feed(byte[] b, int off, int len) {
        if (error != null) return true;
        int i = off, end = off + len;
        if (!headersDone) {
            // find the blank line that ends the header, then copy the header bytes in one write
            int room = MAX_HEADER + 1 - headLen;
            int stop = Math.min(end, off + Math.max(0, room));
            for (; i < stop; i++) {
                last3 = (last3 << 8 | (b[i] & 0xff));
                int x = last3 & 0xffffff;
                if (b[i] == '\n' && ((x & 0xffff) == 0x0a0a || x == 0x0a0d0a)) {
                    headersDone = true;
                    i++;
                    break;
                }
            }
            appendHead(b, off, i - off);
            if (headersDone) {
                parseHead();
            } else {
                if (headLen > MAX_HEADER) {
                    error = "headers longer than " + MAX_HEADER + " bytes";
                    return true;
                }
                return false;
            }
        }
        int n = end - i;
        if (contentLength >= 0) n = (int) Math.min(n, contentLength - bodyBytes);
        if (n > 0) {
            if (hash != null) hash.update(b, i, n);
            if (keepBody && body.size() < MAX_KEPT_BODY) body.write(b, i, Math.min(n, MAX_KEPT_BODY - body.size()));
            bodyBytes += n;
        }
        return false;
    }

    private void appendHead(byte[] b, int off, int len) {
        if (headLen + len > head.length) head = Arrays.copyOf(head, Math.max(head.length * 2, headLen + len));
        System.arraycopy(b, off, head, headLen, len);
        headLen += len;
    }

    /**
     * Parses the header in place (no String per reply): the status line must start with "HTTP/"; the status code is
     * the word after its first space, trimmed; a Content-Length header (name case-insensitive and trimmed) bounds the
     * body the digest covers, and one that is not a number is ignored.
     */
    private void parseHead() {
        byte[] h = head;
        int n = headLen;
        int eol = indexOf(h, '\n', 0, n);
        int statusEnd = lineEnd(h, 0, eol < 0 ? n : eol, n);
        if (!startsWith(h, 0, statusEnd, HTTP_SLASH)) {
            String status = new String(h, 0, statusEnd, StandardCharsets.ISO_8859_1);
            error = "not an HTTP response: '" + status.substring(0, Math.min(40, status.length())) + "'";
            return;
        }
        int sp = indexOf(h, ' ', 0, statusEnd);
        int codeEnd = sp < 0 ? -1 : indexOf(h, ' ', sp + 1, statusEnd);
        long code = sp < 0 ? Long.MIN_VALUE : number(h, sp + 1, codeEnd < 0 ? statusEnd : codeEnd);
        if (code < Integer.MIN_VALUE || code > Integer.MAX_VALUE) {
            error = "bad status line '" + new String(h, 0, statusEnd, StandardCharsets.ISO_8859_1) + "'";
            return;
        }
        statusCode = (int) code;
        if (!keepBody && hash == null) return; // Content-Length only bounds the digest and the regex's body
        for (int from = eol + 1; eol >= 0 && from < n; from = eol + 1) {
            eol = indexOf(h, '\n', from, n);
            int to = lineEnd(h, from, eol < 0 ? n : eol, n);
            int c = indexOf(h, ':', from, to);
            if (c > from && isContentLength(h, from, c)) {
                long v = number(h, c + 1, to);
                contentLength = v == Long.MIN_VALUE ? -1 : v;
            }
        }
    }

    private static final byte[] HTTP_SLASH = "HTTP/".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] CONTENT_LENGTH = "content-length".getBytes(StandardCharsets.ISO_8859_1);

    private static int indexOf(byte[] h, char c, int from, int to) {
        for (int i = from; i < to; i++) if (h[i] == c) return i;
        return -1;
    }

    /** The end of the line h[from, to) without a '\r' before its '\n' (a line cut by the header's end keeps it). */
    private static int lineEnd(byte[] h, int from, int to, int n) {
        return to < n && to > from && h[to - 1] == '\r' ? to - 1 : to;
    }

    private static boolean startsWith(byte[] h, int from, int to, byte[] prefix) {
        if (to - from < prefix.length) return false;
        for (int i = 0; i < prefix.length; i++) if (h[from + i] != prefix[i]) return false;
        return true;
    }

    /** Whether the header name h[from, to), trimmed as String.trim does, is Content-Length in any case. */
    private static boolean isContentLength(byte[] h, int from, int to) {
        while (from < to && (h[from] & 0xff) <= ' ') from++;
        while (to > from && (h[to - 1] & 0xff) <= ' ') to--;
        if (to - from != CONTENT_LENGTH.length) return false;
        for (int i = 0; i < CONTENT_LENGTH.length; i++) {
            int x = h[from + i];
            if (x >= 'A' && x <= 'Z') x += 'a' - 'A';
            if (x != CONTENT_LENGTH[i]) return false;
        }
        return true;
    }

    /** h[from, to) trimmed as String.trim does, read as Long.parseLong reads it; Long.MIN_VALUE when it is not one. */
    static long number(byte[] h, int from, int to) {
        while (from < to && (h[from] & 0xff) <= ' ') from++;
        while (to > from && (h[to - 1] & 0xff) <= ' ') to--;
        if (from == to) return Long.MIN_VALUE;
        int i = from;
        boolean neg = false;
        if (h[i] == '-' || h[i] == '+') {
            neg = h[i] == '-';
            if (++i == to) return Long.MIN_VALUE;
        }
        if (to - i > 18) { // rare: let the JDK decide (overflow, non-ASCII digits)
            try {
                return Long.parseLong(new String(h, from, to - from, StandardCharsets.ISO_8859_1));
            } catch (NumberFormatException e) {
                return Long.MIN_VALUE;
            }
        }
        long v = 0;
        for (; i < to; i++) {
            int d = h[i] - '0';
            if (d < 0 || d > 9) return Long.MIN_VALUE;
            v = v * 10 + d;
        }
        return neg ? -v : v;
    }

    /** Ready for another reply (one parser per url, reused attempt after attempt). */
    public void reset() {
        headLen = 0;
        body.reset();
        if (hash != null) hash.reset();
        headersDone = false;
        last3 = 0;
        statusCode = -1;
        contentLength = -1;
        bodyBytes = 0;
        error = null;
        digest = null;
    }

    /** The peer closed: finish. */
    public void end() {
        if (digest == null && hash != null) digest = hash.hex();
    }

    public boolean headersDone() {
        return headersDone;
    }

    public String error() {
        return error;
    }

    public int statusCode() {
        return statusCode;
    }

    /**
     * Content-Length, -1 when absent or not a number; also -1 for a parser that keeps neither body nor digest (it reads
     * only the status line: the header bounds nothing then).
     */
    public long contentLength() {
        return contentLength;
    }

    public long bodyBytes() {
        return bodyBytes;
    }

    public String digest() {
        end();
        return digest;
    }

    /** The kept body decoded byte-for-char (ISO-8859-1), for regex matching. */
    public String bodyText() {
        return body.toString(StandardCharsets.ISO_8859_1);
    }
}
