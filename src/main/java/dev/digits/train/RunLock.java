package dev.digits.train;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One training run at a time per checkpoint folder: an operating-system lock on
 * {@code <dir>/.lock}, held from the first step to the export, with the holder's process id in the
 * file so the refusal can name it. The system releases the lock when the process dies, however it
 * dies, so a killed run never leaves the folder locked.
 */
public final class RunLock implements AutoCloseable {
  static final String FILE = ".lock";

  private final FileChannel channel;
  private final FileLock lock;

  private RunLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the folder's lock, creating the folder if needed.
   *
   * @throws IllegalStateException naming the process that holds it
   */
  public static RunLock take(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve(FILE);
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // held by this very process
    }
    if (lock == null) {
      String holder = new String(Files.readAllBytes(file), StandardCharsets.US_ASCII).strip();
      channel.close();
      throw new IllegalStateException("another Train run" + (holder.isEmpty() ? "" : " (process " + holder + ")")
          + " is using " + dir + "; wait for it to finish, or pass another --checkpoint-dir");
    }
    channel.truncate(0);
    channel.write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII)), 0);
    return new RunLock(channel, lock);
  }

  @Override
  public void close() throws IOException {
    lock.release();
    channel.close();
  }
}
