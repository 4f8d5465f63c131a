namespace Intake.Tickets;

/// <summary>
/// The kinds of message we send, as outbound records, the reply senders and the agent API carry them: the values are
/// stored, so they never change.
/// </summary>
public static class OutboundKinds
{
    /// <summary>The answer to a new ticket, sent at once.</summary>
    public const string Acknowledgement = "acknowledgement";

    /// <summary>An agent's reply.</summary>
    public const string Reply = "reply";

    /// <summary>The satisfaction survey after a resolve.</summary>
    public const string Survey = "survey";

    /// <summary>The thanks for a survey answer on a channel whose answer gets no reply of its own.</summary>
    public const string SurveyThanks = "survey_thanks";

    /// <summary>A notice to on-call that a ticket's SLA is at risk or breached; never part of the customer's thread.</summary>
    public const string Escalation = "escalation";
}
