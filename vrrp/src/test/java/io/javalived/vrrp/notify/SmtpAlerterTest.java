package io.javalived.vrrp.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The DATA of a mail as keepalived's smtp.c writes it (SMTP_HEADERS_CMD, SMTP_BODY_CMD, SMTP_SEND_CMD). */
class SmtpAlerterTest {
    @Test
    void dataAsKeepalivedWritesIt() {
        String d = SmtpAlerter.data(ZonedDateTime.of(2021, 3, 1, 9, 44, 8, 0, ZoneOffset.UTC), "lb@example.org",
                "[lb1] VRRP Instance VI_1 - Entering MASTER state", List.of("a@example.org", "b@example.org"),
                "=> VRRP Instance is now owning VRRP VIPs <=");
        assertThat(d).isEqualTo("Date: Mon, 01 Mar 2021 09:44:08 +0000\r\nFrom: lb@example.org\r\n"
                + "Subject: [lb1] VRRP Instance VI_1 - Entering MASTER state\r\nX-Mailer: Keepalived\r\n"
                + "To: a@example.org, b@example.org\r\n\r\n=> VRRP Instance is now owning VRRP VIPs <=\r\n\r\n.\r\n");
    }
}
