using Intake.Tickets;
using Intake.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Intake.Agents;

/// <summary>A blocked contact as the agent API shows it.</summary>
public sealed record ContactBlockJson(
    string Channel, string Id, string? Name, string Agent, string? Reason, DateTimeOffset BlockedAt, int BlockedMessages, DateTimeOffset? LastBlockedMessageAt);

/// <summary>The blocks, newest first (at most <see cref="ContactBlocks.MaxListed"/>).</summary>
public sealed record ContactBlockListJson(IReadOnlyList<ContactBlockJson> Blocks);

/// <summary>
/// Blocked contacts for agents (<c>x-api-key</c>): <c>GET /api/contacts/blocked</c> lists them;
/// <c>POST /api/contacts/blocked {channel, id, reason?}</c> blocks one (201 with the block; 200 with the first block when the
/// contact was blocked already; 400 for an unknown channel or an empty or oversize id; the agent is the key's);
/// <c>DELETE /api/contacts/blocked/{channel}/{id}</c> unblocks (204; 404 when not blocked). The id is the contact's id on
/// the channel as its tickets show it (<c>contact.id</c>). A blocked contact's messages are recorded as blocked, open no
/// ticket and get no answer (<see cref="ContactBlocks"/>).
/// </summary>
public static class ContactBlockEndpoints
{
    public static async Task<Results<Ok<ContactBlockListJson>, ProblemHttpResult>> ListAsync(
        HttpContext http, AgentKeys agents, ContactBlocks blocks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agents);
        ArgumentNullException.ThrowIfNull(blocks);
        if (agents.Authenticate(http) is null)
        {
            return AgentKeys.Unauthorized();
        }

        var list = await blocks.ListAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new ContactBlockListJson([.. list.Select(AsJson)]));
    }

    public static async Task<Results<Created<ContactBlockJson>, Ok<ContactBlockJson>, ValidationProblem, ProblemHttpResult>> BlockAsync(
        HttpContext http, AgentKeys agents, ContactBlocks blocks, TicketStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agents);
        ArgumentNullException.ThrowIfNull(blocks);
        ArgumentNullException.ThrowIfNull(store);
        if (agents.Authenticate(http) is not { } agent)
        {
            return AgentKeys.Unauthorized();
        }

        if (await AgentEndpoints.ReadBodyAsync(http, cancellationToken).ConfigureAwait(false) is not { } body)
        {
            return AgentEndpoints.TooLarge();
        }

        var (request, errors) = AgentRequests.Block(body.WrittenSpan, agent);
        if (request is null)
        {
            return TypedResults.ValidationProblem(errors);
        }

        // The name the contact's latest ticket stores (redacted as intake stores it), where the channel keeps that index.
        var id = ContactBlocks.Normalize(request.Channel, request.Id);
        var latest = await store.FindForContactAsync(request.Channel, id, cancellationToken).ConfigureAwait(false);
        var (block, created) = await blocks.BlockOnceAsync(request.Channel, id, latest?.Ticket.Contact.Name, agent, request.Reason, cancellationToken)
            .ConfigureAwait(false);
        return created
            ? TypedResults.Created($"/api/contacts/blocked/{Uri.EscapeDataString(block.Channel)}/{Uri.EscapeDataString(block.ContactId)}", AsJson(block))
            : TypedResults.Ok(AsJson(block));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> UnblockAsync(
        string channel, string id, HttpContext http, AgentKeys agents, ContactBlocks blocks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agents);
        ArgumentNullException.ThrowIfNull(blocks);
        if (agents.Authenticate(http) is not { } agent)
        {
            return AgentKeys.Unauthorized();
        }

        var known = ChannelNames.All.Contains(channel) && !string.IsNullOrWhiteSpace(id) && id.Length <= ContactBlocks.MaxContactIdLength;
        return known && await blocks.UnblockAsync(channel, id, agent, cancellationToken).ConfigureAwait(false)
            ? TypedResults.NoContent()
            : TypedResults.Problem("This contact is not blocked.", statusCode: StatusCodes.Status404NotFound);
    }

    private static ContactBlockJson AsJson(ContactBlock block) =>
        new(block.Channel, block.ContactId, block.Name, block.Agent, block.Reason, block.BlockedAt, block.BlockedMessages, block.LastBlockedMessageAt);
}
