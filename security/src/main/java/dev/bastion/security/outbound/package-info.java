/**
 * Outbound HTTP: the one way providers reach a backend.
 *
 * <p>A provider describes each backend with a {@link dev.bastion.security.outbound.BackendSpec},
 * gets a hardened OkHttp client from {@link dev.bastion.security.outbound.OutboundHttp#client},
 * runs requests (ideally with
 * {@link dev.bastion.security.outbound.OutboundHttp#execute(okhttp3.OkHttpClient, okhttp3.Request,
 * dev.bastion.core.tool.CallContext)} so tool-call cancellation reaches the socket), tags a
 * query-only {@code POST} with {@link dev.bastion.security.outbound.Idempotent} when it may be
 * retried, and turns failures into messages with {@link dev.bastion.security.outbound.BackendErrors}.
 * The failures it raises itself are {@link dev.bastion.security.outbound.InsecureSchemeException},
 * {@link dev.bastion.security.outbound.ResponseTooLargeException} and
 * {@link dev.bastion.security.outbound.ClientRateLimitException}; configuration that cannot work
 * (CA file, proxy URL) fails at client creation with a
 * {@link dev.bastion.core.spi.ProviderConfigException}.
 *
 * <p>Providers must not loosen a client they were given (host name verifier, socket factory,
 * connection specs, redirects): everything this package promises depends on those settings.
 */
package dev.bastion.security.outbound;
