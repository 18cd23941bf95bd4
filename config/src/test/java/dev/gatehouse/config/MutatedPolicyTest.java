package dev.gatehouse.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A bounded, seeded fuzz: random byte edits of the SPEC example must always come back as a result
 * (never an exception), with every diagnostic located inside the file.
 */
class MutatedPolicyTest {
  private static final int ROUNDS = 1_000;
  private static final byte[] ALPHABET =
      "abcXYZ019 :-[]{}\"'#&*!|>%@`,?\n\t\r\\.~/\u00e9".getBytes(StandardCharsets.UTF_8);

  @Test
  void read_randomlyMutatedPolicies_neverThrowAndStayLocated() throws IOException {
    byte[] original = Files.readAllBytes(PolicyLoaderTest.resource("happy/spec-policy.yaml"));
    Random random = new Random(20261127L);
    int withModel = 0;
    for (int round = 0; round < ROUNDS; round++) {
      byte[] bytes = mutate(original, random, 1 + random.nextInt(4));
      int lines = 1;
      for (byte b : bytes) {
        lines += b == '\n' ? 1 : 0;
      }

      PolicyLoader.Result result = PolicyReader.read(bytes, "m.yaml");

      int maxLine = lines + 1;
      assertThat(result.diagnostics())
          .allSatisfy(
              d -> {
                assertThat(d.location().file()).isEqualTo("m.yaml");
                assertThat(d.location().line()).isBetween(1, maxLine);
                assertThat(d.location().column()).isPositive();
              });
      assertThat(result.hasErrors() || result.model().isPresent()).isTrue();
      withModel += result.model().isPresent() ? 1 : 0;
    }
    // The fuzz must exercise both paths: files still readable into a model and files refused.
    assertThat(withModel).isBetween(ROUNDS / 10, ROUNDS - ROUNDS / 10);
  }

  private static byte[] mutate(byte[] in, Random random, int edits) {
    byte[] out = in.clone();
    for (int i = 0; i < edits; i++) {
      int at = random.nextInt(out.length);
      byte b = ALPHABET[random.nextInt(ALPHABET.length)];
      switch (random.nextInt(3)) {
        case 0 -> out[at] = b;
        case 1 -> {
          byte[] longer = new byte[out.length + 1];
          System.arraycopy(out, 0, longer, 0, at);
          longer[at] = b;
          System.arraycopy(out, at, longer, at + 1, out.length - at);
          out = longer;
        }
        default -> {
          byte[] shorter = new byte[out.length - 1];
          System.arraycopy(out, 0, shorter, 0, at);
          System.arraycopy(out, at + 1, shorter, at, out.length - at - 1);
          out = shorter;
        }
      }
    }
    return out;
  }
}
