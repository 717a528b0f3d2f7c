package org.kloaka.channels;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kloaka.core.notify.Message;

/**
 * E-mail over SMTP with {@code tls} {@code starttls}, {@code tls} and {@code none}
 * (docs/notifications.md): a real SMTP server in the test JVM (GreenMail) behind a real TLS front
 * ({@link TlsFront}) with a certificate made for the test, and the errors a wrong TLS setup gives.
 */
class EmailChannelTest {

  static final Duration TIMEOUT = Duration.ofSeconds(5);

  @TempDir static Path keys;
  static TlsFront.Certificate forLoopback;
  static TlsFront.Certificate forAnotherHost;

  GreenMail smtp;
  final List<AutoCloseable> toClose = new ArrayList<>();

  @BeforeAll
  static void certificates() throws Exception {
    forLoopback = TlsFront.Certificate.make(keys, "ip:127.0.0.1,dns:localhost");
    forAnotherHost = TlsFront.Certificate.make(keys, "dns:mail.city.example");
  }

  @BeforeEach
  void server() {
    smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    smtp.setUser("kloaka", "secret");
    smtp.start();
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
    smtp.stop();
  }

  TlsFront front(TlsFront.Mode mode, TlsFront.Certificate certificate) throws Exception {
    TlsFront front = new TlsFront(mode, certificate, smtp.getSmtp().getPort());
    toClose.add(front);
    return front;
  }

  EmailChannel channel(int port, EmailChannel.Tls tls, SSLSocketFactory sockets) throws Exception {
    EmailChannel channel =
        new EmailChannel(
            "crew",
            new EmailChannel.Server("127.0.0.1", port, tls, "kloaka", "secret", TIMEOUT),
            "kloaka@city.example",
            List.of("crew@city.example"),
            sockets);
    toClose.add(0, channel);
    return channel;
  }

  static Message message(String subject) {
    return new Message("opened", 1, subject, subject, "Body of " + subject + ".", null);
  }

  static void send(EmailChannel channel, String subject) throws Exception {
    channel.send(message(subject)).get(30, TimeUnit.SECONDS);
  }

  /** The reason a send failed, as the outbox and POST /notifications/test show it. */
  static String failure(EmailChannel channel) {
    Throwable thrown =
        org.assertj.core.api.Assertions.catchThrowable(
            () -> channel.send(message("never")).get(30, TimeUnit.SECONDS));
    assertThat(thrown).isInstanceOf(ExecutionException.class);
    return thrown.getCause().getMessage();
  }

  @Test
  void starttlsTurnsTlsOnBeforeTheLoginAndDelivers() throws Exception {
    TlsFront front = front(TlsFront.Mode.STARTTLS, forLoopback);
    EmailChannel channel =
        channel(front.port(), EmailChannel.Tls.STARTTLS, forLoopback.trustingIt());
    send(channel, "over starttls");
    send(channel, "again on the kept connection");
    MimeMessage[] received = smtp.getReceivedMessages();
    assertThat(received).hasSize(2);
    assertThat(received[0].getSubject()).isEqualTo("over starttls");
    assertThat(received[0].getAllRecipients()[0].toString()).isEqualTo("crew@city.example");
  }

  @Test
  void implicitTlsDelivers() throws Exception {
    TlsFront front = front(TlsFront.Mode.TLS, forLoopback);
    send(channel(front.port(), EmailChannel.Tls.TLS, forLoopback.trustingIt()), "over tls");
    assertThat(smtp.getReceivedMessages()).hasSize(1);
    assertThat(smtp.getReceivedMessages()[0].getSubject()).isEqualTo("over tls");
  }

  @Test
  void noneSendsInTheClear() throws Exception {
    send(channel(smtp.getSmtp().getPort(), EmailChannel.Tls.NONE, null), "in the clear");
    assertThat(smtp.getReceivedMessages()).hasSize(1);
  }

  @Test
  void starttlsAgainstAServerThatDoesNotOfferItIsRefusedNotSentInTheClear() throws Exception {
    int plain = smtp.getSmtp().getPort();
    String error = failure(channel(plain, EmailChannel.Tls.STARTTLS, forLoopback.trustingIt()));
    assertThat(error)
        .startsWith(
            "SMTP 127.0.0.1:"
                + plain
                + ": the server does not offer STARTTLS on port "
                + plain
                + " (an implicit-TLS port such as 465 needs \"tls\": \"tls\")");
    assertThat(smtp.getReceivedMessages()).isEmpty();
  }

  @Test
  void implicitTlsAgainstAPlainPortSaysSo() throws Exception {
    int plain = smtp.getSmtp().getPort();
    String error = failure(channel(plain, EmailChannel.Tls.TLS, forLoopback.trustingIt()));
    assertThat(error)
        .startsWith(
            "SMTP 127.0.0.1:"
                + plain
                + ": the server on port "
                + plain
                + " does not speak TLS at once (a plain or STARTTLS port such as 587 or 25 needs"
                + " \"tls\": \"starttls\" or \"none\")");
    assertThat(smtp.getReceivedMessages()).isEmpty();
  }

  @Test
  void noTlsAgainstAnImplicitTlsPortSaysSo() throws Exception {
    TlsFront front = front(TlsFront.Mode.TLS, forLoopback);
    String error = failure(channel(front.port(), EmailChannel.Tls.NONE, null));
    assertThat(error)
        .contains(
            ": no SMTP answer within 5 s (an implicit-TLS port such as 465 needs \"tls\":"
                + " \"tls\")");
    assertThat(smtp.getReceivedMessages()).isEmpty();
  }

  @Test
  void aCertificateThisJvmDoesNotTrustSaysSo() throws Exception {
    TlsFront front = front(TlsFront.Mode.STARTTLS, forLoopback);
    String error = failure(channel(front.port(), EmailChannel.Tls.STARTTLS, null));
    assertThat(error)
        .contains(": the server's TLS certificate is not trusted by this JVM (add its CA to the");
    assertThat(smtp.getReceivedMessages()).isEmpty();
  }

  @Test
  void aCertificateForAnotherHostSaysSo() throws Exception {
    TlsFront front = front(TlsFront.Mode.TLS, forAnotherHost);
    String error =
        failure(channel(front.port(), EmailChannel.Tls.TLS, forAnotherHost.trustingIt()));
    assertThat(error).contains(": the server's TLS certificate does not name the host 127.0.0.1: ");
    assertThat(smtp.getReceivedMessages()).isEmpty();
  }

  @Test
  void aWrongPasswordSaysSo() throws Exception {
    EmailChannel channel =
        new EmailChannel(
            "crew",
            new EmailChannel.Server(
                "127.0.0.1",
                smtp.getSmtp().getPort(),
                EmailChannel.Tls.NONE,
                "kloaka",
                "wrong",
                TIMEOUT),
            "kloaka@city.example",
            List.of("crew@city.example"),
            null);
    toClose.add(0, channel);
    assertThat(failure(channel)).contains("535").contains("Authentication credentials invalid");
    assertThat(smtp.getReceivedMessages()).isEmpty();
  }
}
