package dev.digits.bench;

import dev.digits.data.Mnist;
import dev.digits.data.MnistDataset;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Writes MNIST digits as PNG files, as a user's folder of scans would hold them: dark ink on white,
 * 28x28, a hundred folders of at most 200 files. The test set first, then the training set.
 * Usage: MnistPngs OUT_DIR COUNT
 */
public final class MnistPngs {
  private MnistPngs() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    int count = Integer.parseInt(args[1]);
    Mnist mnist = Mnist.load(Path.of("data"), s -> { });
    int written = 0;
    for (MnistDataset set : new MnistDataset[] {mnist.test(), mnist.train()}) {
      for (int i = 0; i < set.count() && written < count; i++, written++) {
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int p = 0; p < 784; p++) {
          img.getRaster().setSample(p % 28, p / 28, 0, 255 - (set.pixels()[i * 784 + p] & 0xff));
        }
        Path dir = Files.createDirectories(out.resolve(String.format("%03d", written / 200)));
        ImageIO.write(img, "png", dir.resolve(String.format("%05d-label-%d.png", written, set.labels()[i])).toFile());
      }
    }
    System.out.println("wrote " + written + " PNGs to " + out);
  }
}
