/**
 * Backend jobs that run longer than one request (a Grail query, an Itential job): start one, poll
 * it until it is done within the call's deadline, report progress, and cancel it on the backend
 * when the call is cancelled or runs out of time. See {@link dev.bastion.toolkit.poll.Polling}.
 */
package dev.bastion.toolkit.poll;
