/**
 * The client connection's pipeline: exchanges run one at a time per connection ({@link
 * dev.gatehouse.proxy.pipeline.ExchangeSequencer}), each decided by the policy ({@link
 * dev.gatehouse.proxy.pipeline.PolicyHandler}), with the shared services in {@link
 * dev.gatehouse.proxy.pipeline.ProxyContext}.
 */
package dev.gatehouse.proxy.pipeline;
