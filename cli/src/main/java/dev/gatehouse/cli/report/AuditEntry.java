package dev.gatehouse.cli.report;

/**
 * The fields of one audit line that the report reads; one instance is reused for every line (the
 * report never keeps entries, only aggregates), so it is mutable and package-private.
 */
final class AuditEntry {
  static final long NO_TIME = Long.MIN_VALUE;

  long tsMillis;
  String type;
  String agent;
  String method;
  String url;
  String host;
  int port;
  String decision;
  String reason;
  String rule;
  boolean enforced;
  String kind;
  String tls;
  int status;

  void reset() {
    tsMillis = NO_TIME;
    type = null;
    agent = null;
    method = null;
    url = null;
    host = null;
    port = -1;
    decision = null;
    reason = null;
    rule = null;
    enforced = true;
    kind = null;
    tls = null;
    status = -1;
  }
}
