package io.javalived.daemon;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * Bounded reads and writes on a control-socket connection: every call has a deadline (System.nanoTime) and a size
 * limit, so neither side can be held by a peer that does not talk.
 */
public final class Wire {
    private Wire() {
    }

    /**
     * Reads until a newline (returned without it), end of stream, {@code max} bytes or the deadline.
     *
     * @throws SocketTimeoutException at the deadline
     * @throws IOException            past {@code max} bytes without a newline
     */
    public static String readLine(SocketChannel ch, int max, long deadline) throws IOException {
        byte[] b = read(ch, max, deadline, true);
        String s = new String(b, java.nio.charset.StandardCharsets.UTF_8);
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** Reads to the end of the stream (at most {@code max} bytes) before the deadline. */
    public static String readAll(SocketChannel ch, int max, long deadline) throws IOException {
        return new String(read(ch, max, deadline, false), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static byte[] read(SocketChannel ch, int max, long deadline, boolean line) throws IOException {
        ch.configureBlocking(false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(8192);
        try (Selector sel = Selector.open()) {
            ch.register(sel, SelectionKey.OP_READ);
            while (true) {
                buf.clear();
                int n = ch.read(buf);
                if (n < 0) {
                    return out.toByteArray();
                }
                if (n > 0) {
                    for (int i = 0; i < n; i++) {
                        byte x = buf.get(i);
                        if (line && x == '\n') {
                            return out.toByteArray();
                        }
                        out.write(x);
                    }
                    if (out.size() > max) {
                        throw new IOException("more than " + max + " bytes");
                    }
                    continue;
                }
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    throw new SocketTimeoutException("no answer in time");
                }
                sel.select(left);
                sel.selectedKeys().clear();
            }
        }
    }

    /** Writes the whole text before the deadline. */
    public static void write(SocketChannel ch, String text, long deadline) throws IOException {
        ch.configureBlocking(false);
        ByteBuffer buf = ByteBuffer.wrap(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        try (Selector sel = Selector.open()) {
            ch.register(sel, SelectionKey.OP_WRITE);
            while (buf.hasRemaining()) {
                if (ch.write(buf) > 0) {
                    continue;
                }
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    throw new SocketTimeoutException("the peer does not read");
                }
                sel.select(left);
                sel.selectedKeys().clear();
            }
        }
    }
}
