/**
 * The loopback server provider sandboxes are built on ({@link dev.bastion.toolkit.sandbox.SandboxServer}),
 * with credential checks, the backend's error shape, a masked request log, the fan-out barrier and
 * signed page keys for simulated pagination.
 */
package dev.bastion.toolkit.sandbox;
