package dev.gatehouse.proxy.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

/** Assertions on Gatehouse's own responses (SPEC §3 "Blocked"). */
public final class ProxyAssertions {
  private ProxyAssertions() {}

  /**
   * A Gatehouse block: {@code status}, {@code text/plain}, the {@code Gatehouse-*} headers with
   * {@code reason}, and the machine-readable first body line.
   */
  public static void assertGatehouseBlock(RawResponse r, int status, String reason) {
    assertThat(r.status()).as("status of %s", r).isEqualTo(status);
    assertThat(r.header("Gatehouse-Reason")).as("Gatehouse-Reason of %s", r).isEqualTo(reason);
    assertThat(r.header("Gatehouse-Decision")).as("Gatehouse-Decision of %s", r).isNotBlank();
    assertThat(r.header("Gatehouse-Request-Id")).as("Gatehouse-Request-Id of %s", r).isNotBlank();
    assertThat(r.header("Content-Type")).as("Content-Type of %s", r).startsWith("text/plain");
    assertThat(r.bodyText()).as("body of %s", r).startsWith("GATEHOUSE_DECISION {");
    assertThat(r.bodyText().lines().findFirst().orElse(""))
        .contains("\"reason\":\"" + reason + "\"");
  }

  /**
   * Blocked by the address checks, or refused as a bad host — both are what SPEC §2.4 allows for a
   * non-canonical spelling; anything else (200, 502 after a connect attempt) is not.
   */
  public static void assertAddressRefused(RawResponse r) {
    assertThat(r.status()).as("status of %s", r).isIn(400, 403);
    if (r.status() == 403) {
      assertGatehouseBlock(r, 403, "private_address");
    } else {
      assertGatehouseBlock(r, 400, "bad_request");
    }
  }

  /** The status is one of {@code statuses}. */
  public static void assertStatusIn(RawResponse r, Integer... statuses) {
    assertThat(r.status()).as("status of %s", r).isIn(Arrays.asList(statuses));
  }
}
