package dev.gatehouse.proxy;

import dev.gatehouse.config.model.ServerConfig;
import dev.gatehouse.policy.PolicyEngine;
import dev.gatehouse.proxy.observe.CallObserver;
import dev.gatehouse.proxy.tunnel.TunnelInterceptor;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Everything {@link GatehouseServer#start} needs. Build with {@link #builder(ServerConfig)}; only
 * the server config is required.
 *
 * @param config listen addresses (port 0 picks a free port), DNS servers, limits
 * @param policy where the policy comes from
 * @param observer receives every call (spans, audit); {@link CallObserver#NOOP} by default
 * @param clock time for call records and caches
 * @param interceptor takes over tunnels that need TLS interception; the default refuses them
 * @param env reads environment variables ({@code token_env}, {@code admin.token_env}); tests inject
 *     a map
 * @param drainTimeout how long {@link GatehouseServer#close()} waits for in-flight calls
 * @param reloadPollInterval the policy file's full-hash safety poll, besides the metadata check
 *     every 250 ms
 * @param preflight asked about the compiled policy before any listener binds: a problem it names
 *     refuses the start ({@code serve}: a policy that needs interception with no CA, SPEC §3)
 */
public record ProxySettings(
    ServerConfig config,
    PolicySource policy,
    CallObserver observer,
    Clock clock,
    TunnelInterceptor interceptor,
    UnaryOperator<String> env,
    Duration drainTimeout,
    Duration reloadPollInterval,
    Function<PolicyEngine, Optional<String>> preflight) {

  public ProxySettings {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(observer, "observer");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(interceptor, "interceptor");
    Objects.requireNonNull(env, "env");
    Objects.requireNonNull(drainTimeout, "drainTimeout");
    Objects.requireNonNull(reloadPollInterval, "reloadPollInterval");
    Objects.requireNonNull(preflight, "preflight");
  }

  public static Builder builder(ServerConfig config) {
    return new Builder(config);
  }

  /** Builder with safe defaults for everything but the server config. */
  public static final class Builder {
    private final ServerConfig config;
    private PolicySource policy;
    private CallObserver observer = CallObserver.NOOP;
    private Clock clock = Clock.systemUTC();
    private TunnelInterceptor interceptor = TunnelInterceptor.REFUSE;
    private UnaryOperator<String> env = System::getenv;
    private Duration drainTimeout = Duration.ofSeconds(10);
    private Duration reloadPollInterval = Duration.ofSeconds(5);
    private Function<PolicyEngine, Optional<String>> preflight = engine -> Optional.empty();

    private Builder(ServerConfig config) {
      this.config = Objects.requireNonNull(config, "config");
      this.policy =
          config.policy().isPresent()
              ? PolicySource.file(config.policy().get())
              : PolicySource.builtInDefault();
    }

    public Builder policy(PolicySource policy) {
      this.policy = policy;
      return this;
    }

    public Builder observer(CallObserver observer) {
      this.observer = observer;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    public Builder interceptor(TunnelInterceptor interceptor) {
      this.interceptor = interceptor;
      return this;
    }

    public Builder env(UnaryOperator<String> env) {
      this.env = env;
      return this;
    }

    public Builder drainTimeout(Duration drainTimeout) {
      this.drainTimeout = drainTimeout;
      return this;
    }

    public Builder reloadPollInterval(Duration reloadPollInterval) {
      this.reloadPollInterval = reloadPollInterval;
      return this;
    }

    public Builder preflight(Function<PolicyEngine, Optional<String>> preflight) {
      this.preflight = preflight;
      return this;
    }

    public ProxySettings build() {
      return new ProxySettings(
          config,
          policy,
          observer,
          clock,
          interceptor,
          env,
          drainTimeout,
          reloadPollInterval,
          preflight);
    }
  }
}
