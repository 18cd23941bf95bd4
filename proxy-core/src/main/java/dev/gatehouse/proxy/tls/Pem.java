package dev.gatehouse.proxy.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * PEM encoding and the file handling of CA material: the private key is created with mode 0600 from
 * the first byte (no window in which another user could open it), and nothing is replaced unless
 * the caller says so.
 */
final class Pem {
  private Pem() {}

  static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
  static final Set<PosixFilePermission> PUBLIC_READ = PosixFilePermissions.fromString("rw-r--r--");
  private static final Set<PosixFilePermission> OWNER_DIR =
      PosixFilePermissions.fromString("rwx------");

  static String encode(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  static String certificate(X509Certificate cert) {
    try {
      return encode("CERTIFICATE", cert.getEncoded());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot encode certificate", e);
    }
  }

  /** PKCS#8 ({@code BEGIN PRIVATE KEY}), which OpenSSL, Go, Python and Java all read. */
  static String privateKey(PrivateKey key) {
    return encode("PRIVATE KEY", key.getEncoded());
  }

  static List<X509Certificate> readCertificates(Path file) throws CaException {
    byte[] bytes = readAll(file, "certificate");
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      Collection<? extends java.security.cert.Certificate> certs =
          factory.generateCertificates(new ByteArrayInputStream(bytes));
      List<X509Certificate> out = new ArrayList<>();
      for (java.security.cert.Certificate c : certs) {
        out.add((X509Certificate) c);
      }
      if (out.isEmpty()) {
        throw new CaException(file + ": no PEM certificate in it");
      }
      return out;
    } catch (GeneralSecurityException e) {
      throw new CaException(file + ": not a PEM certificate (" + e.getMessage() + ")", e);
    }
  }

  /**
   * Reads an unencrypted private key in PKCS#8 ({@code PRIVATE KEY}), SEC1 ({@code EC PRIVATE KEY})
   * or PKCS#1 ({@code RSA PRIVATE KEY}) form, as OpenSSL and other CAs write them.
   */
  static PrivateKey readPrivateKey(Path file) throws CaException {
    String text = new String(readAll(file, "private key"), StandardCharsets.US_ASCII);
    try (Reader reader = new StringReader(text);
        PEMParser parser = new PEMParser(reader)) {
      for (int i = 0; i < 16; i++) { // a key file holds a key and maybe EC parameters
        Object object = parser.readObject();
        if (object == null) {
          break;
        }
        if (object instanceof PEMKeyPair pair) {
          return toPrivateKey(pair.getPrivateKeyInfo(), file);
        }
        if (object instanceof PrivateKeyInfo info) {
          return toPrivateKey(info, file);
        }
        if (object instanceof PKCS8EncryptedPrivateKeyInfo) {
          throw new CaException(
              file + ": the key is encrypted; Gatehouse needs an unencrypted key (mode 0600)");
        }
      }
    } catch (IOException e) {
      throw new CaException(file + ": not a PEM private key (" + e.getMessage() + ")", e);
    }
    throw new CaException(file + ": no PEM private key in it");
  }

  private static PrivateKey toPrivateKey(PrivateKeyInfo info, Path file) throws CaException {
    var oid = info.getPrivateKeyAlgorithm().getAlgorithm();
    String algorithm;
    if (X9ObjectIdentifiers.id_ecPublicKey.equals(oid)) {
      algorithm = "EC";
    } else if (PKCSObjectIdentifiers.rsaEncryption.equals(oid)) {
      algorithm = "RSA";
    } else {
      throw new CaException(file + ": unsupported key algorithm " + oid + " (expected EC or RSA)");
    }
    try {
      return KeyFactory.getInstance(algorithm)
          .generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
    } catch (GeneralSecurityException | IOException e) {
      throw new CaException(
          file + ": unreadable " + algorithm + " key (" + e.getMessage() + ")", e);
    }
  }

  private static byte[] readAll(Path file, String what) throws CaException {
    try {
      return Files.readAllBytes(file);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new CaException(
          "no CA " + what + " at " + file + " (create one with: gatehouse ca init)", e);
    } catch (IOException e) {
      throw new CaException("cannot read CA " + what + " " + file + ": " + e, e);
    }
  }

  /**
   * Writes {@code text} to {@code file} with {@code permissions}, set as the file is created. When
   * {@code replace} is false the file must not exist (checked atomically by the create); when true
   * the content goes to a temporary file in the same folder that is then moved over the old one, so
   * a reader never sees half a key.
   */
  static void write(Path file, String text, Set<PosixFilePermission> permissions, boolean replace)
      throws IOException {
    write(file, text.getBytes(StandardCharsets.US_ASCII), permissions, replace);
  }

  static void write(Path file, byte[] bytes, Set<PosixFilePermission> permissions, boolean replace)
      throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    createDirectories(dir);
    boolean posix = isPosix(dir);
    FileAttribute<?>[] attrs =
        posix
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)}
            : new FileAttribute<?>[0];
    if (!replace) {
      writeNew(file, bytes, attrs);
      return;
    }
    Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp", attrs);
    try {
      try (SeekableByteChannel ch = Files.newByteChannel(tmp, StandardOpenOption.WRITE)) {
        writeFully(ch, bytes);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static void writeNew(Path file, byte[] bytes, FileAttribute<?>[] attrs)
      throws IOException {
    try (SeekableByteChannel ch =
        Files.newByteChannel(
            file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attrs)) {
      writeFully(ch, bytes);
    } catch (FileAlreadyExistsException e) {
      throw e;
    } catch (IOException e) {
      Files.deleteIfExists(file);
      throw e;
    }
  }

  private static void writeFully(SeekableByteChannel ch, byte[] bytes) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    while (buf.hasRemaining()) {
      ch.write(buf);
    }
  }

  private static void createDirectories(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    Path existing = dir;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing != null && isPosix(existing)) {
      // a new ~/.gatehouse holds a private key: readable by its owner only
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_DIR));
    } else {
      Files.createDirectories(dir);
    }
  }

  static boolean isPosix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }
}
