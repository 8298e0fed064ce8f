package io.javalived.it.vrrp;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A minimal SMTP server for the labs (python3's smtpd is gone from 3.12): {@code SmtpSink ADDRESS PORT FILE}
 * accepts mails one connection at a time and appends each (envelope and DATA, "----" between mails) to FILE.
 * Started with ip netns exec in a lab namespace; stopped by PID.
 */
public final class SmtpSink {
    private SmtpSink() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[2]);
        try (ServerSocket ss = new ServerSocket(Integer.parseInt(args[1]), 16, InetAddress.getByName(args[0]))) {
            Files.writeString(out, "", StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
            while (true) {
                try (Socket s = ss.accept()) {
                    s.setSoTimeout(10000);
                    session(s, out);
                } catch (Exception e) {
                    // next connection
                }
            }
        }
    }

    private static void session(Socket s, Path out) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
        OutputStream o = s.getOutputStream();
        StringBuilder mail = new StringBuilder();
        o.write("220 sink ESMTP\r\n".getBytes(StandardCharsets.US_ASCII));
        String line;
        while ((line = in.readLine()) != null) {
            String up = line.toUpperCase();
            if (up.startsWith("HELO") || up.startsWith("EHLO")) {
                mail.append(line).append('\n');
                o.write("250-sink\r\n250 OK\r\n".getBytes(StandardCharsets.US_ASCII));
            } else if (up.startsWith("MAIL") || up.startsWith("RCPT")) {
                mail.append(line).append('\n');
                o.write("250 OK\r\n".getBytes(StandardCharsets.US_ASCII));
            } else if (up.startsWith("DATA")) {
                o.write("354 go on\r\n".getBytes(StandardCharsets.US_ASCII));
                o.flush();
                while ((line = in.readLine()) != null && !line.equals(".")) {
                    mail.append(line).append('\n');
                }
                o.write("250 queued\r\n".getBytes(StandardCharsets.US_ASCII));
            } else if (up.startsWith("QUIT")) {
                o.write("221 bye\r\n".getBytes(StandardCharsets.US_ASCII));
                o.flush();
                break;
            } else {
                o.write("500 what\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            o.flush();
        }
        Files.writeString(out, mail + "----\n", StandardOpenOption.APPEND);
    }
}
