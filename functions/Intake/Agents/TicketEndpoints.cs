using System.Globalization;
using Intake.Agents;
using Intake.Tickets;
using Intake.Triage;
using Intake.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Intake.Agents;

/// <summary>A ticket as the agent API shows it (DESIGN §9), thread and outbound messages included.</summary>
public sealed record TicketJson(
    string Id,
    string Reference,
    string Status,
    string Channel,
    string Urgency,
    string Category,
    string Language,
    string? Subject,
    ContactJson Contact,
    IReadOnlyList<string> Flags,
    IReadOnlyDictionary<string, int> Redactions,
    TriageEntities Entities,
    DateTimeOffset CreatedAt,
    DateTimeOffset? FirstResponseDueAt,
    DateTimeOffset? ResolutionDueAt,
    DateTimeOffset? FirstRespondedAt,
    DateTimeOffset? ResolvedAt,
    IReadOnlyList<MessageJson>? Messages,
    IReadOnlyList<OutboundJson>? Outbound,
    string? LinkedTicketId = null,
    IReadOnlyList<EventJson>? Events = null,
    SlaJson? Sla = null);

/// <summary>
/// The ticket's SLA clock: the urgency its due times follow, when the monitor warns, since when the clock is paused and
/// for how long it has been in all, the events (<c>warning</c>, <c>breached</c>, <c>met</c> per target) and the escalation
/// notices sent about it (these are not part of the customer's thread, nor of <c>outbound</c>).
/// </summary>
public sealed record SlaJson(
    string Urgency,
    DateTimeOffset? FirstResponseWarningAt,
    DateTimeOffset? ResolutionWarningAt,
    DateTimeOffset? PausedAt,
    double PausedMinutes,
    IReadOnlyList<SlaEventJson> Events,
    IReadOnlyList<OutboundJson>? Notifications);

public sealed record SlaEventJson(string Target, string Kind, DateTimeOffset At, string Urgency, DateTimeOffset? DueAt, int Round);

/// <summary>The customer: <see cref="Verified"/> false while nobody has proved that they own <see cref="Email"/> (see <see cref="ContactVerification"/>).</summary>
public sealed record ContactJson(string Channel, string Id, string? Name, string? Email, bool Verified);

/// <summary>
/// A message of the thread and what the channel told us besides its text. <see cref="SenderVerified"/>, for a customer's
/// message: whether the channel proved its sender owns the address it came from (false for the web form, into which
/// anyone can type any address); null where the channel authenticates senders itself or said nothing. Its attachments
/// (kept, or why not) and facts such as email's SPF and DKIM verdicts (<see cref="Metadata"/>); null when none.
/// </summary>
public sealed record MessageJson(
    string Direction, string Text, DateTimeOffset At, bool? SenderVerified = null, IReadOnlyList<AttachmentJson>? Attachments = null,
    IReadOnlyDictionary<string, string>? Metadata = null);

/// <summary>
/// An attachment of a message: <c>blob</c> where its content is kept (under <c>attachments/{ticketId}/</c>) or
/// <c>refused</c> why not (<c>executable</c>, <c>too_large</c>, <c>over_total</c>, <c>too_large_to_scan</c>,
/// <c>too_deep_to_scan</c>, <c>secret:&lt;kind&gt;</c> when withheld for a secret), <c>sha256</c> of what is kept.
/// </summary>
public sealed record AttachmentJson(string Name, string ContentType, long Size, string? Blob, string? Refused, string? Sha256);

public sealed record OutboundJson(string Kind, string Channel, string Status, DateTimeOffset At);

/// <summary>An entry of the audit trail: who (an agent's name, or <c>customer</c>), what, from what to what, when.</summary>
public sealed record EventJson(string Agent, string Action, string? Detail, DateTimeOffset At);

public sealed record TicketListJson(IReadOnlyList<TicketJson> Tickets, string? ContinuationToken);

/// <summary>
/// <c>GET /api/tickets/{id}</c> and <c>GET /api/tickets?status=&amp;urgency=&amp;channel=&amp;category=&amp;language=</c> for
/// agents: most urgent first, then by the next SLA due time.
/// </summary>
public static class TicketEndpoints
{
    /// <summary>The ticket with its thread, outbound messages and audit trail; its <c>ETag</c> header is what a write's <c>If-Match</c> names.</summary>
    public static async Task<Results<Ok<TicketJson>, ProblemHttpResult>> GetAsync(
        string id, HttpContext http, AgentKeys agents, TicketStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(agents);
        if (agents.Authenticate(http) is null)
        {
            return AgentKeys.Unauthorized();
        }

        var whole = id.Length is > 0 and <= 64 ? await store.GetWholeAsync(id, cancellationToken).ConfigureAwait(false) : null;
        if (whole is null)
        {
            return TypedResults.Problem("No such ticket.", statusCode: StatusCodes.Status404NotFound);
        }

        http.Response.Headers.ETag = whole.Stored.ETag.ToString("H");
        return TypedResults.Ok(whole.Stored.Ticket.AsJson(whole.Messages, whole.Outbound, whole.Audit));
    }

    /// <summary>
    /// The ticket as <see cref="GetAsync"/> shows it, after a write: this version of the ticket, with its thread, outbound
    /// records and audit trail as stored now (one partition query).
    /// </summary>
    public static async Task<TicketJson> AsFullJsonAsync(this Ticket ticket, TicketStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(store);
        var whole = await store.GetWholeAsync(ticket.Id, cancellationToken).ConfigureAwait(false);
        return ticket.AsJson(whole?.Messages ?? [], whole?.Outbound ?? [], whole?.Audit ?? []);
    }

    /// <summary>
    /// <see cref="ListAsync"/> with its filters read from the request's query, as minimal APIs bind them, for a host that
    /// binds only route values (Azure Functions): an absent filter is none, an empty <c>pageSize</c> is none, one that is not a number is a 400.
    /// </summary>
    public static Task<Results<Ok<TicketListJson>, ValidationProblem, ProblemHttpResult>> ListFromQueryAsync(
        HttpRequest request, AgentKeys agents, TicketListing listing, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        string? Value(string name) => request.Query.TryGetValue(name, out var value) ? value.ToString() : null;
        int? pageSize = null;
        if (Value("pageSize") is { Length: > 0 } size)
        {
            if (!int.TryParse(size, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
            {
                return Task.FromResult<Results<Ok<TicketListJson>, ValidationProblem, ProblemHttpResult>>(
                    TypedResults.ValidationProblem(new Dictionary<string, string[]>(StringComparer.Ordinal) { ["pageSize"] = ["Between 1 and 100."] }));
            }

            pageSize = parsed;
        }

        return ListAsync(
            Value("status"), Value("urgency"), Value("channel"), Value("category"), pageSize, Value("continuationToken"), Value("language"), request.HttpContext, agents,
            listing, cancellationToken);
    }

    public static async Task<Results<Ok<TicketListJson>, ValidationProblem, ProblemHttpResult>> ListAsync(
        string? status, string? urgency, string? channel, string? category, int? pageSize, string? continuationToken, string? language, HttpContext http,
        AgentKeys agents, TicketListing listing, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agents);
        if (agents.Authenticate(http) is null)
        {
            return AgentKeys.Unauthorized();
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        TicketStatus? statusFilter = null;
        if (status is not null)
        {
            if (TicketNames.TryParseStatus(status, out var parsed))
            {
                statusFilter = parsed;
            }
            else
            {
                errors["status"] = ["One of new, open, waiting_on_customer, resolved, closed."];
            }
        }

        Urgency? urgencyFilter = null;
        if (urgency is not null)
        {
            if (TriageNames.TryParseUrgency(urgency, out var parsed))
            {
                urgencyFilter = parsed;
            }
            else
            {
                errors["urgency"] = ["One of urgent, high, normal, low."];
            }
        }

        TicketCategory? categoryFilter = null;
        if (category is not null)
        {
            if (TriageNames.TryParseCategory(category, out var parsed))
            {
                categoryFilter = parsed;
            }
            else
            {
                errors["category"] = ["Not a category."];
            }
        }

        if (channel is { Length: > 32 })
        {
            errors["channel"] = ["Not a channel."];
        }

        if (pageSize is < 1 or > 100)
        {
            errors["pageSize"] = ["Between 1 and 100."];
        }

        if (language is not null && !Texts.CustomerTexts.Languages.Contains(language))
        {
            errors["language"] = [$"One of {string.Join(", ", Texts.CustomerTexts.Languages)}."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var page = await listing.ListAsync(
            new TicketQuery(statusFilter, urgencyFilter, channel, categoryFilter, pageSize ?? 25, continuationToken, language), cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new TicketListJson([.. page.Tickets.Select(t => t.AsJson(null, null))], page.ContinuationToken));
    }

    private static MessageJson AsJson(TicketMessage message) => new(
        message.Direction == MessageDirection.Inbound ? "inbound" : "outbound",
        message.Text,
        message.At,
        ContactVerification.SenderVerified(message),
        message.Details is { Attachments.Count: > 0 } details ? [.. details.Attachments.Select(a => new AttachmentJson(a.Name, a.ContentType, a.Size, a.Blob, a.Refused, a.Sha256))] : null,
        message.Details is { Metadata.Count: > 0 } withMetadata ? withMetadata.Metadata : null);

    public static TicketJson AsJson(
        this Ticket ticket, IReadOnlyList<TicketMessage>? messages, IReadOnlyList<OutboundRecord>? outbound, IReadOnlyList<AuditEntry>? events = null)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return new TicketJson(
            ticket.Id,
            ticket.Reference,
            ticket.Status.ToName(),
            ticket.Channel,
            ticket.Urgency.ToName(),
            ticket.Category.ToName(),
            ticket.Language,
            ticket.Subject,
            new ContactJson(ticket.Contact.Channel, ticket.Contact.Id, ticket.Contact.Name, ticket.Contact.Email, ticket.Contact.Verified),
            ticket.Contact.Verified ? ticket.Flags : [.. ticket.Flags, ContactVerification.UnverifiedFlag],
            ticket.Redactions,
            ticket.Entities,
            ticket.CreatedAt,
            ticket.FirstResponseDueAt,
            ticket.ResolutionDueAt,
            ticket.FirstRespondedAt,
            ticket.ResolvedAt,
            messages?.Select(AsJson).ToList(),
            outbound?.Where(o => o.Kind != OutboundKinds.Escalation).Select(o => new OutboundJson(o.Kind, o.Channel, o.Status.ToName(), o.At)).ToList(),
            ticket.LinkedTicketId,
            events?.Select(e => new EventJson(e.Agent, e.Action, e.Detail, e.At)).ToList(),
            new SlaJson(
                ticket.Urgency.ToName(),
                ticket.FirstResponseWarningAt,
                ticket.ResolutionWarningAt,
                ticket.PausedAt,
                Math.Round(ticket.PausedFor.TotalMinutes, 2),
                [.. ticket.SlaEvents.Select(e => new SlaEventJson(e.Target, e.Kind, e.At, e.Urgency, e.DueAt, e.Round))],
                outbound?.Where(o => o.Kind == OutboundKinds.Escalation).Select(o => new OutboundJson(o.Kind, o.Channel, o.Status.ToName(), o.At)).ToList()));
    }
}
