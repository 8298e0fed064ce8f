package io.javalived.daemon.metrics;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A byte-exact HTTP/1.x client for the tests: sends what it is given, reads to the end, parses the answers. */
final class RawHttp {
    private RawHttp() {
    }

    /** One answer: status, headers (lower-case names), body (de-chunked), the chunk sizes when chunked. */
    record Response(String statusLine, int status, Map<String, String> headers, byte[] body, List<Integer> chunks) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** What the server sent until it closed, and how long that took. */
    record Exchange(byte[] raw, long millis, boolean closed) {
        /** The answers, to requests with these methods (a HEAD answer has no body). */
        List<Response> responses(String... methods) {
            return parseAll(raw, methods);
        }

        Response response() {
            List<Response> l = responses();
            if (l.size() != 1) {
                throw new AssertionError(l.size() + " responses in " + new String(raw, StandardCharsets.ISO_8859_1));
            }
            return l.get(0);
        }
    }

    /** Connects, sends {@code request}, reads until the server closes (or {@code timeoutMillis}). */
    static Exchange exchange(InetSocketAddress to, String request, long timeoutMillis) throws IOException {
        return exchange(to, request.getBytes(StandardCharsets.ISO_8859_1), timeoutMillis);
    }

    static Exchange exchange(InetSocketAddress to, byte[] request, long timeoutMillis) throws IOException {
        long t0 = System.nanoTime();
        try (Socket s = new Socket()) {
            s.connect(to, (int) timeoutMillis);
            s.getOutputStream().write(request);
            s.getOutputStream().flush();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            boolean closed = readToEnd(s, out, t0 + timeoutMillis * 1_000_000);
            return new Exchange(out.toByteArray(), (System.nanoTime() - t0) / 1_000_000, closed);
        }
    }

    /** Reads until end of stream or reset (true), or the deadline (false). */
    static boolean readToEnd(Socket s, ByteArrayOutputStream out, long deadlineNanos) throws IOException {
        InputStream in = s.getInputStream();
        byte[] b = new byte[65536];
        while (true) {
            long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return false;
            }
            s.setSoTimeout((int) Math.max(1, left));
            int n;
            try {
                n = in.read(b);
            } catch (SocketTimeoutException e) {
                return false;
            } catch (SocketException e) {
                return true; // reset: closed too
            }
            if (n < 0) {
                return true;
            }
            out.write(b, 0, n);
        }
    }

    static List<Response> parseAll(byte[] raw, String... methods) {
        List<Response> l = new ArrayList<>();
        int[] pos = {0};
        while (pos[0] < raw.length) {
            l.add(parse(raw, pos, l.size() < methods.length && methods[l.size()].equals("HEAD")));
        }
        return l;
    }

    private static String line(byte[] raw, int[] pos) {
        int start = pos[0];
        for (int i = start; i + 1 < raw.length; i++) {
            if (raw[i] == '\r' && raw[i + 1] == '\n') {
                pos[0] = i + 2;
                return new String(raw, start, i - start, StandardCharsets.ISO_8859_1);
            }
        }
        throw new AssertionError("no CRLF after offset " + start + " in "
                + new String(raw, StandardCharsets.ISO_8859_1));
    }

    private static Response parse(byte[] raw, int[] pos, boolean head) {
        String status = line(raw, pos);
        if (!status.startsWith("HTTP/1.1 ") && !status.startsWith("HTTP/1.0 ")) {
            throw new AssertionError("not a status line: " + status);
        }
        int code = Integer.parseInt(status.substring(9, 12));
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h = line(raw, pos); !h.isEmpty(); h = line(raw, pos)) {
            int c = h.indexOf(':');
            headers.put(h.substring(0, c).trim().toLowerCase(Locale.ROOT), h.substring(c + 1).trim());
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        List<Integer> chunks = new ArrayList<>();
        if (head) {
            // no body
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            while (true) {
                int size = Integer.parseInt(line(raw, pos).trim(), 16);
                if (size == 0) {
                    line(raw, pos); // no trailers
                    break;
                }
                chunks.add(size);
                body.write(raw, pos[0], size);
                pos[0] += size;
                line(raw, pos);
            }
        } else if (headers.containsKey("content-length")) {
            int n = Integer.parseInt(headers.get("content-length"));
            body.write(raw, pos[0], n);
            pos[0] += n;
        } else {
            body.write(raw, pos[0], raw.length - pos[0]); // to the end of the connection (or a HEAD answer: none)
            pos[0] = raw.length;
        }
        return new Response(status, code, headers, body.toByteArray(), chunks);
    }
}
