package dev.bastion.app.logging;

import ch.qos.logback.core.status.OnErrorConsoleStatusListener;
import ch.qos.logback.core.status.Status;

/**
 * Reports logback's own warnings and errors on standard error and stays silent otherwise.
 * Registering a status listener also stops logback from printing its status to standard output
 * when its configuration has problems, which would corrupt the stdio transport's stream.
 */
public class StderrStatusListener extends OnErrorConsoleStatusListener {

    public StderrStatusListener() {
        setRetrospective(0);
    }

    @Override
    public void addStatusEvent(Status status) {
        if (status.getEffectiveLevel() >= Status.WARN) {
            super.addStatusEvent(status);
        }
    }
}
