package org.kloaka.core;

import java.nio.ByteBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.kloaka.ingest.IngestParser;

/** How a refused payload is kept: its first 4 KiB as text (CONTRACT §1). */
public final class Rejects {

  /** The rejects kept by default, newest first (CONTRACT §4). */
  public static final int DEFAULT_KEEP = 10_000;

  private Rejects() {}

  /** The first 4 KiB of {@code payload}, decoded as UTF-8 with malformed bytes replaced. */
  public static String preview(byte[] payload) {
    if (payload == null) {
      return "";
    }
    byte[] head =
        payload.length <= IngestParser.MAX_PAYLOAD_BYTES
            ? payload
            : Arrays.copyOf(payload, IngestParser.MAX_PAYLOAD_BYTES);
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    try {
      return decoder.decode(ByteBuffer.wrap(head)).toString().replace("\u0000", "\uFFFD");
    } catch (java.nio.charset.CharacterCodingException e) {
      // REPLACE never throws; keep the compiler satisfied without hiding a real failure.
      throw new IllegalStateException(e);
    }
  }
}
