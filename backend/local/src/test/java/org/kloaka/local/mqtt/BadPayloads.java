package org.kloaka.local.mqtt;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Device messages the organizer must reject (CONTRACT §1, "Bad input"), as a fuzzer sends them. */
final class BadPayloads {

  private BadPayloads() {}

  static List<byte[]> all() {
    List<byte[]> all = new ArrayList<>();
    for (String text :
        List.of(
            // not JSON, or not an object
            "",
            " ",
            "not json",
            "{",
            "}",
            "{\"id\":\"01\",\"filling\":\"100\"",
            "[]",
            "[{\"id\":\"01\",\"filling\":\"100\"}]",
            "null",
            "42",
            "\"01\"",
            "true",
            "{}",
            // no usable id
            "{\"filling\":\"100\"}",
            "{\"id\":\"\",\"filling\":\"100\"}",
            "{\"id\":null,\"filling\":\"100\"}",
            "{\"id\":\"1\",\"filling\":\"100\"}",
            "{\"id\":\"001\",\"filling\":\"100\"}",
            "{\"id\":\"0-01\",\"filling\":\"100\"}",
            "{\"id\":\"12345-1\",\"filling\":\"100\"}",
            "{\"id\":\"a1\",\"filling\":\"100\"}",
            "{\"id\":\" 01\",\"filling\":\"100\"}",
            "{\"id\":\"1-\",\"filling\":\"100\"}",
            "{\"id\":\"-1\",\"filling\":\"100\"}",
            "{\"id\":\"1--2\",\"filling\":\"100\"}",
            "{\"id\":\"\u0661\u0662\",\"filling\":\"100\"}",
            "{\"id\":[\"01\"],\"filling\":\"100\"}",
            "{\"id\":{\"tube\":0},\"filling\":\"100\"}",
            // filling missing, not a number, or outside 0–100
            "{\"id\":\"01\"}",
            "{\"id\":\"01\",\"filling\":null}",
            "{\"id\":\"01\",\"filling\":\"\"}",
            "{\"id\":\"01\",\"filling\":\"abc\"}",
            "{\"id\":\"01\",\"filling\":\"-1\"}",
            "{\"id\":\"01\",\"filling\":101}",
            "{\"id\":\"01\",\"filling\":100.5}",
            "{\"id\":\"01\",\"filling\":\"1e3\"}",
            "{\"id\":\"01\",\"filling\":\"NaN\"}",
            "{\"id\":\"01\",\"filling\":\"Infinity\"}",
            "{\"id\":\"01\",\"filling\":true}",
            "{\"id\":\"01\",\"filling\":[100]}",
            "{\"id\":\"01\",\"filling\":{\"value\":100}}",
            // TTN uplinks without a usable id or filling
            "{\"end_device_ids\":{\"device_id\":\"kloaka\"},"
                + "\"uplink_message\":{\"decoded_payload\":{\"filling\":100}}}",
            "{\"end_device_ids\":{\"device_id\":\"kloaka01\"},"
                + "\"uplink_message\":{\"frm_payload\":\"YWJj\"}}",
            "{\"end_device_ids\":{\"device_id\":\"kloaka01\"},\"uplink_message\":{}}")) {
      all.add(text.getBytes(StandardCharsets.UTF_8));
    }
    // Not UTF-8 at all.
    all.add(new byte[] {(byte) 0xff, (byte) 0xfe, 0x00, 0x7b, (byte) 0xc3});
    // Nested far deeper than any device message.
    all.add(("[".repeat(10_000) + "]".repeat(10_000)).getBytes(StandardCharsets.US_ASCII));
    // Over 4 KiB: a good reading padded, and the 1 MiB a fuzzer sends.
    all.add(
        ("{\"id\":\"01\",\"filling\":\"100\",\"pad\":\"" + "x".repeat(5000) + "\"}")
            .getBytes(StandardCharsets.US_ASCII));
    byte[] mebibyte = new byte[1024 * 1024];
    Arrays.fill(mebibyte, (byte) '{');
    all.add(mebibyte);
    return all;
  }
}
