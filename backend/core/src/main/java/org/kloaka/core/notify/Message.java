package org.kloaka.core.notify;

import org.kloaka.model.Problem;

/**
 * What a channel sends, in words for a person and with the record for machines.
 *
 * @param event {@code opened}, {@code escalated}, {@code resolved} or {@code test}
 * @param step the ladder step (0 for a test message)
 * @param subject an e-mail's subject: the problem and the pair
 * @param text one line, as a Slack / Mattermost incoming webhook shows it
 * @param body the same in a few lines of plain words (e-mail, SNS)
 * @param problem the record, or null for a test message
 */
public record Message(
    String event, int step, String subject, String text, String body, Problem problem) {}
