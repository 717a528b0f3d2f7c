package org.kloaka.local.ws;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A close frame's reason fits its 123 bytes of UTF-8, whatever the message's characters. */
class CloseReasonTest {

  @Test
  void aShortReasonIsKept() {
    assertThat(Client.shortened("Max frame length of 65536 has been exceeded."))
        .isEqualTo("Max frame length of 65536 has been exceeded.");
  }

  @Test
  void aLongReasonIsCutToTheBytesAtACharacterBoundary() {
    String cut = Client.shortened("ž".repeat(100) + "🙂".repeat(40)); // 2 and 4 bytes each
    assertThat(cut.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(123);
    assertThat(cut).endsWith("…").startsWith("žž");
    assertThat(cut).doesNotContain("\uFFFD");
    String emoji = Client.shortened("🙂".repeat(40));
    assertThat(new String(emoji.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8))
        .as("no character split in half (it would not survive UTF-8)")
        .isEqualTo(emoji)
        .endsWith("🙂…");
  }
}
