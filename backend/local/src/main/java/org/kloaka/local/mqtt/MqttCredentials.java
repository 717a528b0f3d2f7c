package org.kloaka.local.mqtt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The one username and password the embedded broker accepts when credentials are configured.
 *
 * <p>Compared in constant time, so the answer's timing tells a guesser nothing about how much of
 * the password was right.
 */
public final class MqttCredentials {

  private final byte[] username;
  private final byte[] password;

  /**
   * @param username not empty
   * @param password not empty; its bytes as the client sends them (MQTT passwords are binary)
   */
  public MqttCredentials(String username, byte[] password) {
    if (username == null || username.isEmpty()) {
      throw new IllegalArgumentException("the MQTT username must not be empty");
    }
    if (password == null || password.length == 0) {
      throw new IllegalArgumentException("the MQTT password must not be empty");
    }
    this.username = username.getBytes(StandardCharsets.UTF_8);
    this.password = password.clone();
  }

  /**
   * Reads the password from a file: its first line, without the line end, as UTF-8 — so {@code echo
   * secret > file} works.
   *
   * @throws IllegalArgumentException naming the file when it cannot be read or holds no password
   */
  public static MqttCredentials fromPasswordFile(String username, Path passwordFile) {
    String text;
    try {
      text = Files.readString(passwordFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read the MQTT password file " + passwordFile + ": " + e.getMessage(), e);
    }
    String firstLine = text.lines().findFirst().orElse("");
    if (firstLine.isEmpty()) {
      throw new IllegalArgumentException(
          "the MQTT password file "
              + passwordFile
              + " is empty: put the password on its first line");
    }
    return new MqttCredentials(username, firstLine.getBytes(StandardCharsets.UTF_8));
  }

  /** True only when both the username and the password are exactly the configured ones. */
  public boolean matches(String givenUsername, byte[] givenPassword) {
    if (givenUsername == null || givenPassword == null) {
      return false;
    }
    // Both compared, always: no early exit that would tell a wrong username from a wrong password.
    boolean userOk =
        MessageDigest.isEqual(givenUsername.getBytes(StandardCharsets.UTF_8), username);
    boolean passwordOk = MessageDigest.isEqual(givenPassword, password);
    return userOk & passwordOk;
  }

  /** The configured username (not secret; shown in logs). */
  public String username() {
    return new String(username, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    // Never the password.
    return "MqttCredentials[username=" + username() + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MqttCredentials other
        && Arrays.equals(username, other.username)
        && MessageDigest.isEqual(password, other.password);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(username);
  }
}
