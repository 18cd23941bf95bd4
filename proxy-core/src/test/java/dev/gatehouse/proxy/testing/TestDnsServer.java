package dev.gatehouse.proxy.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A UDP DNS server on 127.0.0.1:&lt;random&gt; for socket tests: answers A and AAAA for the names
 * given to {@link #map}, NXDOMAIN for every other name, and records every query so a test can
 * assert that a name the rules deny was never looked up (SPEC §2.3).
 *
 * <p>Only loopback answers can be configured (127.0.0.0/8, ::1 and {@code ::ffff:127.x.y.z}): a
 * proxy that wrongly connects to an answer still sends nothing off this machine. Lifecycle as
 * {@link UpstreamServer}: static field per class (queries cleared before each test, mappings kept),
 * instance field per test.
 */
public final class TestDnsServer extends ClassOrTestResource {

  /** One question received: the name as asked (lower case, no trailing dot) and its type. */
  public record Query(String name, String type) {}

  private final Map<String, List<byte[]>> names = new ConcurrentHashMap<>();
  private final Map<String, Deque<List<byte[]>>> rebinds = new ConcurrentHashMap<>();
  private final List<Query> queries = new CopyOnWriteArrayList<>();
  private volatile long ttlSeconds = 60;

  private EventLoopGroup group;
  private Channel channel;

  public static TestDnsServer create() {
    return new TestDnsServer();
  }

  /**
   * Answers {@code name} with {@code addresses} (A for IPv4, AAAA for IPv6 and for {@code
   * ::ffff:a.b.c.d} spellings). Each must be a loopback address.
   */
  public TestDnsServer map(String name, String... addresses) {
    List<byte[]> raw = new ArrayList<>();
    for (String a : addresses) {
      raw.add(loopbackBytes(a));
    }
    names.put(normalise(name), List.copyOf(raw));
    return this;
  }

  /**
   * DNS rebinding: the first A query for {@code name} is answered with {@code first}, every later
   * one with {@code then} (all loopback). With {@link #ttl} 0 this catches a proxy that checks one
   * lookup and connects by a second one.
   */
  public TestDnsServer rebind(String name, String first, String then) {
    Deque<List<byte[]>> answers = new ConcurrentLinkedDeque<>();
    answers.add(List.of(loopbackBytes(first)));
    names.put(normalise(name), List.of(loopbackBytes(then)));
    rebinds.put(normalise(name), answers);
    return this;
  }

  /** The TTL of every answer (default 60 s). */
  public TestDnsServer ttl(long seconds) {
    this.ttlSeconds = seconds;
    return this;
  }

  // ---- lifecycle ----

  @Override
  boolean running() {
    return channel != null;
  }

  @Override
  void betweenTests() {
    queries.clear();
  }

  @Override
  public synchronized TestDnsServer start() {
    if (channel != null) {
      return this;
    }
    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    channel =
        new Bootstrap()
            .group(group)
            .channel(NioDatagramChannel.class)
            .handler(
                new ChannelInitializer<DatagramChannel>() {
                  @Override
                  protected void initChannel(DatagramChannel ch) {
                    ch.pipeline()
                        .addLast(new DatagramDnsQueryDecoder())
                        .addLast(new DatagramDnsResponseEncoder())
                        .addLast(new Responder());
                  }
                })
            .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .syncUninterruptibly()
            .channel();
    return this;
  }

  @Override
  public synchronized void close() {
    if (channel == null) {
      return;
    }
    channel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    channel = null;
  }

  // ---- observation ----

  public InetSocketAddress address() {
    if (channel == null) {
      throw new IllegalStateException("DNS server not started");
    }
    return (InetSocketAddress) channel.localAddress();
  }

  /** {@code 127.0.0.1:port}, the form {@code dns.servers} takes. */
  public String hostPort() {
    return "127.0.0.1:" + address().getPort();
  }

  /** Every question received since start or the start of the test, in order. */
  public List<Query> queries() {
    return List.copyOf(queries);
  }

  /**
   * True when any question (any type) named {@code name}, a name below it, or {@code name} with a
   * search domain appended.
   */
  public boolean wasQueried(String name) {
    String n = "." + normalise(name) + ".";
    return queries.stream().anyMatch(q -> ("." + q.name() + ".").contains(n));
  }

  public void clearQueries() {
    queries.clear();
  }

  // ---- answering ----

  private final class Responder extends SimpleChannelInboundHandler<DatagramDnsQuery> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery query) {
      DatagramDnsResponse response =
          new DatagramDnsResponse(query.recipient(), query.sender(), query.id());
      response.setRecursionDesired(query.isRecursionDesired());
      response.setRecursionAvailable(true);
      response.setAuthoritativeAnswer(true);
      DnsQuestion question = query.recordAt(DnsSection.QUESTION);
      if (question == null) {
        response.setCode(DnsResponseCode.FORMERR);
        ctx.writeAndFlush(response);
        return;
      }
      String name = normalise(question.name());
      queries.add(new Query(name, question.type().name()));
      response.addRecord(
          DnsSection.QUESTION, new DefaultDnsQuestion(question.name(), question.type()));
      List<byte[]> addresses = names.get(name);
      Deque<List<byte[]>> rebind = rebinds.get(name);
      if (rebind != null && question.type() == DnsRecordType.A) {
        List<byte[]> first = rebind.poll();
        if (first != null) {
          addresses = first;
        }
      }
      if (addresses == null) {
        response.setCode(DnsResponseCode.NXDOMAIN);
      } else {
        int wanted =
            question.type() == DnsRecordType.A
                ? 4
                : question.type() == DnsRecordType.AAAA ? 16 : -1;
        for (byte[] a : addresses) {
          if (a.length == wanted) {
            response.addRecord(
                DnsSection.ANSWER,
                new DefaultDnsRawRecord(
                    question.name(), question.type(), ttlSeconds, Unpooled.wrappedBuffer(a)));
          }
        }
        // a known name with no record of the asked type: NOERROR, empty answer (NODATA)
      }
      ctx.writeAndFlush(response);
    }
  }

  private static String normalise(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
  }

  /**
   * Raw bytes for an A (4) or AAAA (16) record. Refuses anything but loopback: this fixture must
   * never steer a proxy off the machine.
   */
  static byte[] loopbackBytes(String literal) {
    if (!literal.matches("[0-9a-fA-F:.]+")) {
      throw new IllegalArgumentException("not an IP literal: " + literal);
    }
    InetAddress parsed;
    try {
      parsed = InetAddress.getByName(literal); // a literal: no lookup happens
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
    if (!parsed.isLoopbackAddress()) {
      throw new IllegalArgumentException("test DNS answers loopback only, not " + literal);
    }
    if (literal.contains(":") && parsed instanceof Inet4Address v4) {
      // ::ffff:127.x.y.z: Java folds it to IPv4; keep the IPv6 wire form for an AAAA answer
      byte[] b = new byte[16];
      b[10] = (byte) 0xff;
      b[11] = (byte) 0xff;
      System.arraycopy(v4.getAddress(), 0, b, 12, 4);
      return b;
    }
    return parsed.getAddress();
  }
}
