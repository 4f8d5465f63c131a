using Intake.Messaging;
using Intake.Tickets;

namespace Intake.Surveys;

/// <summary><see cref="TicketEvent.Resolved"/>: the resolved ticket's survey (<see cref="SurveyDesk.SendAsync"/>), once per ticket.</summary>
public sealed class SurveyHandler(SurveyDesk surveys) : ITicketEventHandler
{
    public TicketEvent TicketEvent => TicketEvent.Resolved;

    public Task HandleAsync(StoredTicket stored, TicketQueueMessage message, CancellationToken cancellationToken) =>
        surveys.SendAsync(stored, cancellationToken);
}

/// <summary><see cref="TicketEvent.SurveyAnswered"/>: the thank-you for an answer on a chat channel (<see cref="SurveyDesk.ThankAsync"/>).</summary>
public sealed class SurveyThanksHandler(SurveyDesk surveys) : ITicketEventHandler
{
    public TicketEvent TicketEvent => TicketEvent.SurveyAnswered;

    public Task HandleAsync(StoredTicket stored, TicketQueueMessage message, CancellationToken cancellationToken) =>
        surveys.ThankAsync(stored, cancellationToken);
}

/// <summary><see cref="TicketEvent.SurveyFollowUp"/>: the escalation channel is told of a low score (<see cref="SurveyDesk.NotifyFollowUpAsync"/>).</summary>
public sealed class SurveyFollowUpHandler(SurveyDesk surveys) : ITicketEventHandler
{
    public TicketEvent TicketEvent => TicketEvent.SurveyFollowUp;

    public Task HandleAsync(StoredTicket stored, TicketQueueMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stored);
        return surveys.NotifyFollowUpAsync(stored.Ticket, cancellationToken);
    }
}
