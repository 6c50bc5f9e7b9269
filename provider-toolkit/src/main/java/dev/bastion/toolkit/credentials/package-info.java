/**
 * Backend credentials a provider configures instead of writing its own: a static header
 * ({@link dev.bastion.toolkit.credentials.HeaderCredentials}), OAuth 2.0 client credentials
 * ({@link dev.bastion.toolkit.credentials.OAuthClientCredentials}) and a session login
 * ({@link dev.bastion.toolkit.credentials.SessionLogin}). Each one is a
 * {@link dev.bastion.core.auth.BackendCredentials} handed to
 * {@code BackendSpec.builder(name).credentials(...)}, so the outbound client applies it to every
 * request and refreshes it once after a {@code 401}. Every secret and every fetched token is
 * registered with the redactor; failures are {@link dev.bastion.toolkit.credentials.CredentialException}s
 * whose messages name settings, never values.
 */
package dev.bastion.toolkit.credentials;
