package dev.gatehouse.proxy.pipeline;

/** Names of the client pipeline's handlers, so stages can find and replace each other. */
public final class Stages {
  public static final String IDLE = "idle";
  public static final String CONNECTION = "connection";
  public static final String CODEC = "codec";
  public static final String SEQUENCER = "sequencer";
  public static final String GUARD = "guard";
  public static final String AUTH = "auth";
  public static final String POLICY = "policy";
  public static final String CONNECT = "connect";
  public static final String FORWARD = "forward";
  public static final String TUNNEL = "tunnel";

  /** The HTTP stages a tunnel removes when it takes over the connection. */
  public static final String[] HTTP_STAGES = {SEQUENCER, GUARD, AUTH, POLICY, CONNECT, FORWARD};

  private Stages() {}
}
