using Intake.Messaging;
using Intake.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Intake.Agents;

public static class AgentsHosting
{
    /// <summary>The agent API's writes (<see cref="AgentDesk"/>).</summary>
    public static IHostApplicationBuilder AddAgents(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<AgentDesk>();
        builder.Services.AddTicketEventHandler<AgentReplyHandler>();
        return builder;
    }

    /// <summary>
    /// The agent API, <c>/api/tickets</c> and <c>/api/contacts/blocked</c> (<see cref="ContactBlockEndpoints"/>), behind an agent key; <paramref name="api"/> is the <c>/api</c> group. Reads (a
    /// ticket, the list) and writes (reply, resolve, reopen, revoke status links, patch): JSON with the agent's key in a
    /// header, no cookie for a forged post to ride on, so nothing for antiforgery to protect.
    /// </summary>
    public static IEndpointRouteBuilder MapAgents(this IEndpointRouteBuilder api)
    {
        var tickets = api.MapGroup("/tickets").AddEndpointFilter<ApiKeyFilter>();
        tickets.MapGet("/{id}", TicketEndpoints.GetAsync);
        tickets.MapGet("/", TicketEndpoints.ListAsync);
        tickets.MapPost("/{id}/replies", AgentEndpoints.ReplyAsync).DisableAntiforgery();
        tickets.MapPost("/{id}/resolve", AgentEndpoints.ResolveAsync).DisableAntiforgery();
        tickets.MapPost("/{id}/reopen", AgentEndpoints.ReopenAsync).DisableAntiforgery();
        tickets.MapPost("/{id}/status-links/revoke", AgentEndpoints.RevokeStatusLinksAsync).DisableAntiforgery();
        tickets.MapPatch("/{id}", AgentEndpoints.PatchAsync).DisableAntiforgery();

        var blocked = api.MapGroup("/contacts/blocked").AddEndpointFilter<ApiKeyFilter>();
        blocked.MapGet("/", ContactBlockEndpoints.ListAsync);
        blocked.MapPost("/", ContactBlockEndpoints.BlockAsync).DisableAntiforgery();
        blocked.MapDelete("/{channel}/{id}", ContactBlockEndpoints.UnblockAsync).DisableAntiforgery();
        return api;
    }
}
