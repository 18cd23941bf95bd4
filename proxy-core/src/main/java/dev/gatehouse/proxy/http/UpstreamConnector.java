package dev.gatehouse.proxy.http;

import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.Host;
import dev.gatehouse.policy.Reason;
import dev.gatehouse.proxy.net.Resolution;
import dev.gatehouse.proxy.pipeline.Exchange;
import dev.gatehouse.proxy.pipeline.ProxyContext;
import dev.gatehouse.proxy.pipeline.ReadGate;
import io.netty.channel.Channel;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.Future;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Gets the forward stage's request onto an upstream connection: resolves the target once and checks
 * every address, takes a pooled connection to a checked address (the next address when one
 * refuses), sends the request and any body held meanwhile, and retries once on a new connection
 * when a pooled one turns out to be stale. Failures become 403 (blocked address), 502 or 504.
 */
final class UpstreamConnector {
  private final ProxyContext context;
  private final UpstreamTls tls;
  private final ForwardState state;
  private final Upstream.Listener listener;

  /**
   * @param listener bound to the upstream connection for the exchange
   */
  UpstreamConnector(
      ProxyContext context, UpstreamTls tls, ForwardState state, Upstream.Listener listener) {
    this.context = context;
    this.tls = tls;
    this.state = state;
    this.listener = listener;
  }

  /** Starts on the exchange {@link ForwardState#begin begun}: resolve, then connect. */
  void resolve() {
    ForwardState s = state;
    Exchange mine = s.ex;
    Channel client = s.ctx.channel();
    Future<Resolution> resolution =
        context
            .resolver()
            .resolve(client.eventLoop(), s.target.host(), s.target.port(), mine.policy().engine());
    if (resolution.isDone()) {
      resolved(mine, resolution.getNow()); // IP literals and cached answers: no read pause
    } else {
      // reads pause only while waiting: toggling them costs two epoll_ctl calls (NETTY-NOTES)
      ReadGate.pause(client, ReadGate.CONNECTING);
      resolution.addListener(f -> resolved(mine, resolution.getNow()));
    }
  }

  private void resolved(Exchange mine, Resolution resolution) {
    ForwardState s = state;
    if (s.ex != mine) {
      return;
    }
    if (resolution instanceof Resolution.Blocked blocked) {
      // address checks stay enforced in report mode: no rule or mode can open them (SPEC §2.4)
      Decision d = s.ex.decision().deny(blocked.reason(), true);
      String detail =
          s.target.host() instanceof Host.Ip
              ? ""
              : "it resolves to " + blocked.address().getHostAddress();
      s.refuse(403, d, detail);
    } else if (resolution instanceof Resolution.Unresolved unresolved) {
      s.refuse(502, s.ex.decision().deny(Reason.UPSTREAM_ERROR, true), unresolved.cause());
    } else {
      s.addresses = ((Resolution.Allowed) resolution).addresses();
      s.addressIndex = 0;
      connect(false);
    }
  }

  /**
   * The exchange's upstream connection closed: retries an idempotent bodiless request whose
   * response had not started, once, when the connection came from the pool.
   *
   * @return true when retrying; false when the exchange fails
   */
  boolean retryStale(Upstream u) {
    ForwardState s = state;
    if (s.responseStarted || !s.retryable || !u.reused() || s.retried) {
      return false;
    }
    // a pooled connection the server had already closed: try once more on a new one
    s.retried = true;
    s.upstream = null;
    s.informational = false;
    if (s.requestComplete) {
      // the request had no body: its end must be sent again on the new connection
      s.pending = new ArrayList<>(List.of(LastHttpContent.EMPTY_LAST_CONTENT));
    }
    connect(true);
    return true;
  }

  private void connect(boolean fresh) {
    ForwardState s = state;
    Exchange mine = s.ex;
    InetSocketAddress address = s.addresses.get(s.addressIndex);
    Future<Upstream> upstreamFuture =
        context
            .pool()
            .acquire(
                s.ctx.channel().eventLoop(),
                address,
                tls.isPlaintext() ? "" : s.target.host().toString(),
                tls,
                fresh);
    if (upstreamFuture.isDone()) {
      acquired(mine, address, upstreamFuture); // a pooled connection
    } else {
      ReadGate.pause(s.ctx.channel(), ReadGate.CONNECTING);
      upstreamFuture.addListener(f -> acquired(mine, address, upstreamFuture));
    }
  }

  private void acquired(Exchange mine, InetSocketAddress address, Future<?> f) {
    ForwardState s = state;
    if (s.ex != mine) {
      if (f.isSuccess()) {
        ((Upstream) f.getNow()).channel().close();
      }
      return;
    }
    if (!f.isSuccess()) {
      Throwable cause = f.cause();
      if (cause instanceof ConnectException
          && !(cause instanceof ConnectTimeoutException)
          && s.addressIndex + 1 < s.addresses.size()) {
        s.addressIndex++;
        connect(true);
        return;
      }
      Decision d = s.ex.decision().deny(Reason.UPSTREAM_ERROR, true);
      if (cause instanceof ConnectTimeoutException) {
        s.refuse(504, d, "");
      } else {
        s.refuse(502, d, describe(cause, address));
      }
      return;
    }
    Upstream upstream = (Upstream) f.getNow();
    s.upstream = upstream;
    upstream.bind(listener);
    s.ex.peerAddress(address.getAddress().getHostAddress() + ":" + address.getPort());
    Channel up = upstream.channel();
    up.write(s.request);
    if (s.pending != null) {
      for (HttpContent c : s.pending) {
        up.write(c);
      }
      s.pending = null;
    }
    up.flush();
    Channel client = s.ctx.channel();
    ReadGate.resume(client, ReadGate.CONNECTING);
    if (!up.isWritable()) {
      ReadGate.pause(client, ReadGate.PEER_FULL);
    }
  }

  /** A one-line reason phrase detail for a failed connection to {@code address}. */
  static String describe(Throwable cause, InetSocketAddress address) {
    String where = address.getAddress().getHostAddress() + ":" + address.getPort();
    if (cause instanceof ConnectException) {
      return "connection refused by " + where;
    }
    String m = cause == null ? null : cause.getMessage();
    if (m == null || m.isBlank()) {
      m = cause == null ? "connection failed" : cause.getClass().getSimpleName();
    }
    // the first line only, printable: it becomes part of the reason phrase
    int nl = m.indexOf('\n');
    return (nl >= 0 ? m.substring(0, nl) : m) + " (" + where + ")";
  }
}
