package org.kloaka.channels;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS in front of a plain SMTP server in the test JVM (GreenMail, which has implicit TLS with a
 * certificate that names no host, and no STARTTLS): {@link Mode#TLS} accepts TLS at once (port 465
 * style), {@link Mode#STARTTLS} greets in the clear, offers STARTTLS (RFC 3207) and turns TLS on
 * when asked. Past the handshake every byte goes to the server behind it and back, so that server
 * takes the login and the message.
 */
final class TlsFront implements AutoCloseable {

  enum Mode {
    TLS,
    STARTTLS
  }

  /** A key pair and certificate made by the JDK's keytool, with the names it is valid for. */
  record Certificate(KeyStore keys, char[] password) {

    /** E.g. {@code ip:127.0.0.1,dns:localhost}. */
    static Certificate make(Path dir, String subjectAltNames) throws Exception {
      Path file = dir.resolve("smtp-" + subjectAltNames.hashCode() + ".p12");
      String keytool = Paths.get(System.getProperty("java.home"), "bin", "keytool").toString();
      Process process =
          new ProcessBuilder(
                  keytool,
                  "-genkeypair",
                  "-alias",
                  "smtp",
                  "-keyalg",
                  "EC",
                  "-dname",
                  "CN=kloaka test SMTP",
                  "-ext",
                  "SAN=" + subjectAltNames,
                  "-validity",
                  "2",
                  "-storetype",
                  "PKCS12",
                  "-keystore",
                  file.toString(),
                  "-storepass",
                  "changeit",
                  "-keypass",
                  "changeit")
              .redirectErrorStream(true)
              .start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("keytool failed: " + output);
      }
      KeyStore keys = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(file)) {
        keys.load(in, "changeit".toCharArray());
      }
      return new Certificate(keys, "changeit".toCharArray());
    }

    SSLContext serverContext() throws Exception {
      KeyManagerFactory managers =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      managers.init(keys, password);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(managers.getKeyManagers(), null, null);
      return context;
    }

    /** Client sockets that trust this certificate (and nothing else). */
    SSLSocketFactory trustingIt() throws Exception {
      KeyStore trusted = KeyStore.getInstance("PKCS12");
      trusted.load(null, null);
      trusted.setCertificateEntry("smtp", keys.getCertificate("smtp"));
      TrustManagerFactory managers =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      managers.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, managers.getTrustManagers(), null);
      return context.getSocketFactory();
    }
  }

  private final Mode mode;
  private final SSLContext context;
  private final int behind;
  private final ServerSocket listener;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  TlsFront(Mode mode, Certificate certificate, int behindPort) throws Exception {
    this.mode = mode;
    this.context = certificate.serverContext();
    this.behind = behindPort;
    this.listener = new ServerSocket();
    listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    this.acceptor = new Thread(this::accept, "tls-front");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return listener.getLocalPort();
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        open.add(client);
        Thread serve = new Thread(() -> serve(client), "tls-front-client");
        serve.setDaemon(true);
        serve.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket raw) {
    try {
      raw.setSoTimeout(30_000);
      if (mode == Mode.STARTTLS) {
        OutputStream out = raw.getOutputStream();
        InputStream in = raw.getInputStream();
        write(out, "220 tls-front ESMTP");
        String line = readLine(in);
        while (line != null && !line.equalsIgnoreCase("STARTTLS")) {
          if (line.regionMatches(true, 0, "EHLO", 0, 4)) {
            write(out, "250-tls-front\r\n250 STARTTLS");
          } else if (line.equalsIgnoreCase("QUIT")) {
            write(out, "221 bye");
            return;
          } else {
            write(out, "530 Must issue a STARTTLS command first");
          }
          line = readLine(in);
        }
        if (line == null) {
          return;
        }
        write(out, "220 Ready to start TLS");
      }
      SSLSocket tls =
          (SSLSocket)
              context
                  .getSocketFactory()
                  .createSocket(raw, raw.getInetAddress().getHostAddress(), raw.getPort(), true);
      tls.setUseClientMode(false);
      tls.startHandshake();
      Socket server = new Socket(InetAddress.getLoopbackAddress(), behind);
      open.add(server);
      InputStream fromServer = server.getInputStream();
      if (mode == Mode.STARTTLS) {
        readLine(fromServer); // its greeting: the client had ours already
      }
      Thread up = new Thread(() -> pump(tls, server), "tls-front-up");
      up.setDaemon(true);
      up.start();
      pump(server, tls);
    } catch (IOException e) {
      // A client that gave up (a wrong setup under test): nothing to serve.
    } finally {
      closeQuietly(raw);
    }
  }

  private static void pump(Socket from, Socket to) {
    try {
      from.getInputStream().transferTo(to.getOutputStream());
    } catch (IOException e) {
      // One side closed.
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private static void write(OutputStream out, String reply) throws IOException {
    out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** One CRLF line, read byte by byte (nothing past it: TLS may start right after). */
  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != -1; b = in.read()) {
      if (b == '\n') {
        return line.toString(StandardCharsets.US_ASCII).strip();
      }
      line.write(b);
    }
    return null;
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // Closing anyway.
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    open.forEach(TlsFront::closeQuietly);
  }
}
