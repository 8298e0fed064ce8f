package io.javalived.vrrp.notify;

import io.javalived.config.model.GlobalDefs;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * keepalived's smtp_alert (core/smtp.c): a mail to every notification_email through smtp_server, with keepalived's
 * subject ({@code [ROUTER_ID] VRRP Instance VI_1 - Entering MASTER state}) and body lines. Mails are sent one after
 * the other on a thread of their own: a slow or hanging SMTP server delays nothing else (each step waits at most
 * smtp_connect_timeout, as keepalived's connection and read timers do).
 */
public final class SmtpAlerter implements AutoCloseable {
    private static final Logger LOG = System.getLogger("io.javalived.smtp");
    private static final DateTimeFormatter RFC822 = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z",
            Locale.ROOT);
    /** No smtp_server or no notification_email: nothing is ever sent. */
    public static final SmtpAlerter NONE = new SmtpAlerter(null, "", "", "", List.of(), 0, 0);

    private final String host;
    private final int port;
    private final int timeoutMillis;
    private final String routerId;
    private final String from;
    private final String helo;
    private final List<String> to;
    private final ExecutorService sender;

    private SmtpAlerter(String host, String routerId, String from, String helo, List<String> to, int port,
                        int timeoutMillis) {
        this.host = host;
        this.port = port;
        this.timeoutMillis = timeoutMillis;
        this.routerId = routerId;
        this.from = from;
        this.helo = helo;
        this.to = List.copyOf(to);
        this.sender = host == null ? null : Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "smtp-alert");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * From global_defs; router_id, notification_email_from and smtp_helo_name default as in keepalived to the local
     * host name (USER@NAME for the sender).
     */
    public static SmtpAlerter create(GlobalDefs g, Supplier<String> localName) {
        if (g.smtpServer().isEmpty() || g.notificationEmail().isEmpty()) {
            return NONE;
        }
        String name = localName.get();
        return new SmtpAlerter(g.smtpServer().get().host(), g.routerId().orElse(name),
                g.notificationEmailFrom().orElse(System.getProperty("user.name", "root") + "@" + name), g.smtpHeloName().orElse(name),
                g.notificationEmail(), g.smtpServer().get().port(), (int) g.smtpConnectTimeout().toMillis());
    }

    public boolean enabled() {
        return host != null;
    }

    /** A VRRP instance's state mail (vrrp_notify.c vrrp_smtp_notifier); null subject for states without one. */
    public void instance(String name, String state) {
        String[] sb = switch (state) {
            case "MASTER" -> new String[] {"Entering MASTER state", "=> VRRP Instance is now owning VRRP VIPs <="};
            case "BACKUP" -> new String[] {"Entering BACKUP state",
                "=> VRRP Instance is no longer owning VRRP VIPs <="};
            case "FAULT" -> new String[] {"Entering FAULT state", "=> VRRP Instance is no longer owning VRRP VIPs <="};
            case "STOP" -> new String[] {"Stopping", "=> VRRP Instance stopping <="};
            default -> null;
        };
        if (sb != null) {
            send("[" + routerId + "] VRRP Instance " + name + " - " + sb[0], sb[1]);
        }
    }

    /** A sync group's state mail (vrrp_sync_smtp_notifier). */
    public void group(String name, String state) {
        String[] sb = switch (state) {
            case "MASTER" -> new String[] {"Entering MASTER state",
                "=> All VRRP group instances are now in MASTER state <="};
            case "BACKUP" -> new String[] {"Entering BACKUP state",
                "=> All VRRP group instances are now in BACKUP state <="};
            case "FAULT" -> new String[] {"Entering FAULT state",
                "=> All VRRP group instances are now in FAULT state <="};
            case "STOP" -> new String[] {"Stopping", "=> All VRRP group instances are now stopping <="};
            default -> null;
        };
        if (sb != null) {
            send("[" + routerId + "] VRRP Group " + name + " - " + sb[0], sb[1]);
        }
    }

    /**
     * A checker or virtual server mail: {@code subject} gets keepalived's {@code [router_id] } prefix
     * ({@code [lb1] Realserver [10.0.0.2]:tcp:80 of virtual server [10.0.0.100]:tcp:80 - DOWN}). Returns at once.
     */
    public void alert(String subject, String body) {
        send("[" + routerId + "] " + subject, body);
    }

    /** Queues one mail; returns at once. */
    public void send(String subject, String body) {
        if (host == null) {
            return;
        }
        String data = data(ZonedDateTime.now(), from, subject, to, body);
        sender.execute(() -> deliver(data));
    }

    /** Pure: the DATA part as keepalived writes it (headers, blank line, body, end of data). */
    static String data(ZonedDateTime when, String from, String subject, List<String> to, String body) {
        return "Date: " + RFC822.format(when) + "\r\nFrom: " + from + "\r\nSubject: " + subject
                + "\r\nX-Mailer: Keepalived\r\nTo: " + String.join(", ", to) + "\r\n\r\n" + body + "\r\n\r\n.\r\n";
    }

    private String server() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    private void deliver(String data) {
        try (Socket s = new Socket()) {
            try {
                s.connect(new InetSocketAddress(host, port), timeoutMillis);
            } catch (SocketTimeoutException e) {
                LOG.log(Level.INFO, "Timeout connecting SMTP server " + server() + ".");
                return;
            }
            s.setSoTimeout(timeoutMillis);
            LOG.log(Level.INFO, "Remote SMTP server " + server() + " connected.");
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = s.getOutputStream();
            expect(in, "220", "greeting");
            cmd(out, in, "HELO " + helo + "\r\n", "250", "HELO");
            cmd(out, in, "MAIL FROM:<" + from + ">\r\n", "250", "MAIL");
            for (String r : to) {
                cmd(out, in, "RCPT TO:<" + r + ">\r\n", "250", "RCPT");
            }
            cmd(out, in, "DATA\r\n", "354", "DATA");
            cmd(out, in, data, "250", "BODY");
            cmd(out, in, "QUIT\r\n", "221", "QUIT");
        } catch (SocketTimeoutException e) {
            LOG.log(Level.INFO, "Timeout reading data to remote SMTP server " + server() + ".");
        } catch (SmtpError e) {
            LOG.log(Level.INFO, "Error processing " + e.getMessage() + " cmd on SMTP server " + server() + ".");
        } catch (IOException e) {
            LOG.log(Level.INFO, "SMTP connection ERROR to " + server() + ". (" + e.getMessage() + ")");
        }
    }

    private static final class SmtpError extends IOException {
        SmtpError(String what) {
            super(what);
        }
    }

    private static void cmd(OutputStream out, BufferedReader in, String text, String code, String what)
            throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
        expect(in, code, what);
    }

    /** Reads one reply (continuation lines "250-..." up to the last "250 ..."); its code must be {@code code}. */
    private static void expect(BufferedReader in, String code, String what) throws IOException {
        String line;
        do {
            line = in.readLine();
            if (line == null) {
                throw new IOException("the server closed the connection");
            }
        } while (line.length() > 3 && line.charAt(3) == '-');
        if (!line.startsWith(code)) {
            throw new SmtpError(what);
        }
    }

    @Override
    public void close() {
        if (sender != null) {
            sender.shutdownNow();
        }
    }
}
