package io.javalived.checkers;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

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
    private final ByteArrayOutputStream head = new ByteArrayOutputStream();
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
            int room = MAX_HEADER + 1 - head.size();
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
            head.write(b, off, i - off);
            if (headersDone) {
                parseHead(head.toString(StandardCharsets.ISO_8859_1));
            } else {
                if (head.size() > MAX_HEADER) {
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

    private void parseHead(String h) {
        // lines split at "\r?\n" (no regex per reply)
        int eol = h.indexOf('\n');
        String status = line(h, 0, eol < 0 ? h.length() : eol);
        if (!status.startsWith("HTTP/")) {
            error = "not an HTTP response: '" + status.substring(0, Math.min(40, status.length())) + "'";
            return;
        }
        String[] parts = status.split(" ", 3);
        try {
            statusCode = Integer.parseInt(parts[1].trim());
        } catch (RuntimeException e) {
            error = "bad status line '" + status + "'";
            return;
        }
        for (int from = eol + 1; eol >= 0 && from < h.length(); from = eol + 1) {
            eol = h.indexOf('\n', from);
            String l = line(h, from, eol < 0 ? h.length() : eol);
            int c = l.indexOf(':');
            if (c == CONTENT_LENGTH.length() && l.regionMatches(true, 0, CONTENT_LENGTH, 0, c)
                    || c > 0 && l.substring(0, c).trim().toLowerCase(Locale.ROOT).equals(CONTENT_LENGTH)) {
                try {
                    contentLength = Long.parseLong(l.substring(c + 1).trim());
                } catch (NumberFormatException e) {
                    contentLength = -1;
                }
            }
        }
    }

    private static final String CONTENT_LENGTH = "content-length";

    /** The line h[from, to) without a '\r' before its '\n'. */
    private static String line(String h, int from, int to) {
        if (to < h.length() && to > from && h.charAt(to - 1) == '\r') to--;
        return h.substring(from, to);
    }

    /** Ready for another reply (one parser per url, reused attempt after attempt). */
    public void reset() {
        head.reset();
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
