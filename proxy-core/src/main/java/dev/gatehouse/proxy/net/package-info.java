/**
 * Transport selection, DNS resolution and the address checks of SPEC §2.4. Address checks are
 * enforced in report mode too: report mode lets policy denials through to learn what a sandbox
 * needs, but a request to a private, internal or Gatehouse's own address is an attack on the
 * network, not a missing allow rule, and recording it while letting it through would defeat the
 * SSRF protection the mode is meant to tune around.
 */
package dev.gatehouse.proxy.net;
