package dev.digits.imaging;

/**
 * Counts a JPEG's scans (its start-of-scan markers) by walking its marker segments and skipping
 * each scan's entropy-coded data, without decoding anything. A baseline JPEG has one scan per
 * colour plane or one in all; a progressive one about ten; a hostile one thousands.
 */
final class JpegScans {
  private JpegScans() {}

  private static final int SOS = 0xDA;
  private static final int EOI = 0xD9;

  static int count(byte[] jpeg) {
    int scans = 0;
    int at = 2; // after SOI
    while (at + 1 < jpeg.length) {
      if ((jpeg[at] & 0xff) != 0xFF) {
        at++; // garbage between segments: decoders skip it too
        continue;
      }
      int marker = jpeg[at + 1] & 0xff;
      if (marker == 0xFF) {
        at++; // a fill byte before the marker
        continue;
      }
      if (marker == EOI) {
        break;
      }
      if (marker == 0x01 || marker >= 0xD0 && marker <= 0xD7) {
        at += 2; // markers without a length
        continue;
      }
      if (at + 3 >= jpeg.length) {
        break;
      }
      at += 2 + ((jpeg[at + 2] & 0xff) << 8 | (jpeg[at + 3] & 0xff));
      if (marker == SOS) {
        scans++;
        at = endOfEntropyData(jpeg, at);
      }
    }
    return scans;
  }

  /** The first marker after a scan's data: in the data, 0xFF is followed by 0 (a stuffed byte) or a restart marker. */
  private static int endOfEntropyData(byte[] jpeg, int at) {
    while (at + 1 < jpeg.length) {
      if ((jpeg[at] & 0xff) == 0xFF) {
        int next = jpeg[at + 1] & 0xff;
        if (next != 0 && (next < 0xD0 || next > 0xD7)) {
          return at;
        }
        at += 2;
      } else {
        at++;
      }
    }
    return jpeg.length;
  }
}
