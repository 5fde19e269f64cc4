package dev.mkt.spring.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

/** A random secret generated once and kept in a file readable by the owner only. */
final class SecretFiles {
  private SecretFiles() {}

  /** The file's bytes, or {@code bytes} fresh random bytes written to it first (atomically, once). */
  static byte[] readOrCreate(Path file, int bytes) {
    try {
      if (Files.exists(file)) {
        byte[] existing = Files.readAllBytes(file);
        if (existing.length < bytes) {
          throw new IllegalArgumentException(file + " holds " + existing.length + " bytes, fewer than the " + bytes
              + " a secret needs; delete it to generate a new one (links signed with it stop working)");
        }
        return existing;
      }
      Files.createDirectories(file.toAbsolutePath().getParent());
      byte[] secret = new byte[bytes];
      new SecureRandom().nextBytes(secret);
      Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".secret", ".tmp");
      try {
        try {
          Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
          // not a POSIX file system: the directory's permissions apply
        }
        Files.write(tmp, secret, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
        try {
          Files.createLink(file, tmp); // fails if another instance won the race: read theirs
        } catch (FileAlreadyExistsException e) {
          return Files.readAllBytes(file);
        } catch (UnsupportedOperationException e) {
          Files.move(tmp, file);
          return secret;
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
      return secret;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the secret file " + file, e);
    }
  }
}
