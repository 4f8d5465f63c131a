using System.Buffers;
using Azure;
using Intake.Tickets;
using Intake.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Intake.Agents;

/// <summary>
/// The agent's writes, in the <c>/api/tickets</c> group (<c>x-api-key</c>): <c>POST /{id}/replies {text, agent?}</c>
/// (202), <c>POST /{id}/resolve {agent?}</c>, <c>POST /{id}/reopen {agent?}</c>, <c>POST /{id}/status-links/revoke {agent?}</c>,
/// <c>PATCH /{id} {agent?, status?, urgency?, category?}</c> (200). The agent is the one whose key was sent
/// (<see cref="AgentKeys"/>; 401 without one); a body's <c>agent</c> that names someone else is a 400. Each answers with
/// the ticket JSON and its new <c>ETag</c>; an <c>If-Match</c> that is not the
/// ticket's current ETag gets 409 and changes nothing. 400 for bad input, 404 for an unknown ticket, 409 for a
/// transition the ticket's status does not allow, 413 over 128 KB.
/// </summary>
public static class AgentEndpoints
{
    public static async Task<Results<Accepted<TicketJson>, ValidationProblem, ProblemHttpResult>> ReplyAsync(
        string id, HttpContext http, AgentKeys agents, AgentDesk desk, TicketStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(agents);
        ArgumentNullException.ThrowIfNull(desk);
        if (agents.Authenticate(http) is not { } agent)
        {
            return AgentKeys.Unauthorized();
        }

        if (await ReadBodyAsync(http, cancellationToken).ConfigureAwait(false) is not { } body)
        {
            return TooLarge();
        }

        var (text, errors) = AgentRequests.Reply(body.WrittenSpan, agent);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var outcome = await desk.ReplyAsync(id, IfMatch(http.Request), agent, text!, cancellationToken).ConfigureAwait(false);
        if (Problem(outcome) is { } problem)
        {
            return problem;
        }

        var stored = outcome.Result.Stored!;
        http.Response.Headers.ETag = stored.ETag.ToString("H");
        return TypedResults.Accepted($"/api/tickets/{stored.Ticket.Id}", await stored.Ticket.AsFullJsonAsync(store, cancellationToken).ConfigureAwait(false));
    }

    public static Task<Results<Ok<TicketJson>, ValidationProblem, ProblemHttpResult>> ResolveAsync(
        string id, HttpContext http, AgentKeys agents, AgentDesk desk, TicketStore store, CancellationToken cancellationToken) =>
        AgentOnlyAsync(http, agents, store, (agent, ifMatch) => desk.ResolveAsync(id, ifMatch, agent, cancellationToken), cancellationToken);

    public static Task<Results<Ok<TicketJson>, ValidationProblem, ProblemHttpResult>> ReopenAsync(
        string id, HttpContext http, AgentKeys agents, AgentDesk desk, TicketStore store, CancellationToken cancellationToken) =>
        AgentOnlyAsync(http, agents, store, (agent, ifMatch) => desk.ReopenAsync(id, ifMatch, agent, cancellationToken), cancellationToken);

    /// <summary>Every status link of the ticket given out so far stops working; audited as <c>status_links_revoked</c>.</summary>
    public static Task<Results<Ok<TicketJson>, ValidationProblem, ProblemHttpResult>> RevokeStatusLinksAsync(
        string id, HttpContext http, AgentKeys agents, AgentDesk desk, TicketStore store, CancellationToken cancellationToken) =>
        AgentOnlyAsync(http, agents, store, (agent, ifMatch) => desk.RevokeStatusLinksAsync(id, ifMatch, agent, cancellationToken), cancellationToken);

    public static async Task<Results<Ok<TicketJson>, ValidationProblem, ProblemHttpResult>> PatchAsync(
        string id, HttpContext http, AgentKeys agents, AgentDesk desk, TicketStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(agents);
        ArgumentNullException.ThrowIfNull(desk);
        if (agents.Authenticate(http) is not { } agent)
        {
            return AgentKeys.Unauthorized();
        }

        if (await ReadBodyAsync(http, cancellationToken).ConfigureAwait(false) is not { } body)
        {
            return TooLarge();
        }

        var (patch, errors) = AgentRequests.Patch(body.WrittenSpan, agent);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return await RespondAsync(http, store, await desk.PatchAsync(id, IfMatch(http.Request), patch!, cancellationToken).ConfigureAwait(false), cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>
    /// An agent's action whose body carries nothing but, at most, the agent (<c>{agent?}</c>): authenticate, read and check
    /// the body, then <paramref name="change"/> as the key's agent, answering with the ticket and its ETag.
    /// </summary>
    public static async Task<Results<Ok<TicketJson>, ValidationProblem, ProblemHttpResult>> AgentOnlyAsync(
        HttpContext http, AgentKeys agents, TicketStore store, Func<string, ETag?, Task<AgentOutcome>> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(agents);
        ArgumentNullException.ThrowIfNull(change);
        if (agents.Authenticate(http) is not { } agent)
        {
            return AgentKeys.Unauthorized();
        }

        if (await ReadBodyAsync(http, cancellationToken).ConfigureAwait(false) is not { } body)
        {
            return TooLarge();
        }

        var errors = AgentRequests.AgentOnly(body.WrittenSpan, agent);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return await RespondAsync(http, store, await change(agent, IfMatch(http.Request)).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
    }

    private static async Task<Results<Ok<TicketJson>, ValidationProblem, ProblemHttpResult>> RespondAsync(
        HttpContext http, TicketStore store, AgentOutcome outcome, CancellationToken cancellationToken)
    {
        if (Problem(outcome) is { } problem)
        {
            return problem;
        }

        var stored = outcome.Result.Stored!;
        http.Response.Headers.ETag = stored.ETag.ToString("H");
        return TypedResults.Ok(await stored.Ticket.AsFullJsonAsync(store, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The error an outcome answers with, or null when it changed the ticket.</summary>
    internal static ProblemHttpResult? Problem(AgentOutcome outcome) => outcome switch
    {
        { Result.Status: ChangeStatus.NotFound } => TypedResults.Problem("No such ticket.", statusCode: StatusCodes.Status404NotFound),
        { Result.Status: ChangeStatus.Stale } => TypedResults.Problem(
            "The ticket has changed since you read it (If-Match). Read it again and retry.", statusCode: StatusCodes.Status409Conflict, title: "Stale ticket"),
        { Result.Status: ChangeStatus.Busy } => TypedResults.Problem(
            "The ticket is being changed by many others at once; try again.", statusCode: StatusCodes.Status409Conflict, title: "Busy ticket"),
        { Refusal: { } why } => TypedResults.Problem(why, statusCode: StatusCodes.Status409Conflict, title: "Not allowed in this status"),
        { Result.Status: ChangeStatus.Changed } => null,

        // Every decision either changes the ticket or refuses; nothing else should reach here.
        _ => TypedResults.Problem("Nothing was changed.", statusCode: StatusCodes.Status409Conflict),
    };

    /// <summary>The <c>If-Match</c> to hold the write to; none (or <c>*</c>) lets it retry until it lands.</summary>
    internal static ETag? IfMatch(HttpRequest request)
    {
        var value = request.Headers.IfMatch.ToString().Trim();
        return value.Length == 0 || value == "*" ? null : new ETag(value);
    }

    internal static ProblemHttpResult TooLarge() =>
        TypedResults.Problem($"The request is larger than {AgentRequests.MaxBodyBytes / 1024} KB.", statusCode: StatusCodes.Status413PayloadTooLarge);

    /// <summary>The body, or null when it is over the limit (declared or actual).</summary>
    internal static async Task<ArrayBufferWriter<byte>?> ReadBodyAsync(HttpContext http, CancellationToken cancellationToken)
    {
        if (http.Request.ContentLength > AgentRequests.MaxBodyBytes)
        {
            return null;
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = AgentRequests.MaxBodyBytes + 1;
        }

        var buffer = new ArrayBufferWriter<byte>(1024);
        try
        {
            while (true)
            {
                var read = await http.Request.Body.ReadAsync(buffer.GetMemory(4096), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return buffer;
                }

                buffer.Advance(read);
                if (buffer.WrittenCount > AgentRequests.MaxBodyBytes)
                {
                    return null;
                }
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
    }
}
