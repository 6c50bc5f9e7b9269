package dev.bastion.toolkit.sandbox;

/** Answers the requests of one route. Throw {@link SandboxError} to answer in the backend's error shape. */
@FunctionalInterface
public interface SandboxHandler {

    SandboxResponse handle(SandboxRequest request);
}
