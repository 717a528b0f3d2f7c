package org.kloaka.console;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.SourceDataLine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A short two-tone chime for a new problem, played off the FX thread; silent without a sound card.
 */
final class Beep {

  private static final Logger log = LoggerFactory.getLogger(Beep.class);
  private static final float RATE = 22050;

  private Beep() {}

  static void play() {
    Thread thread = new Thread(Beep::chime, "kloaka-beep");
    thread.setDaemon(true);
    thread.start();
  }

  private static void chime() {
    AudioFormat format = new AudioFormat(RATE, 8, 1, true, false);
    try (SourceDataLine line = AudioSystem.getSourceDataLine(format)) {
      line.open(format);
      line.start();
      byte[] tone = tone(880, 0.12);
      line.write(tone, 0, tone.length);
      tone = tone(660, 0.18);
      line.write(tone, 0, tone.length);
      line.drain();
    } catch (LineUnavailableException | IllegalArgumentException | SecurityException e) {
      log.info("no sound device for the new-problem chime: {}", e.toString());
    }
  }

  private static byte[] tone(double hz, double seconds) {
    byte[] samples = new byte[(int) (RATE * seconds)];
    for (int i = 0; i < samples.length; i++) {
      double fade = Math.min(1, (samples.length - i) / (RATE * 0.03));
      samples[i] = (byte) (Math.sin(2 * Math.PI * hz * i / RATE) * 90 * fade);
    }
    return samples;
  }
}
