using Intake.Agents;
using Intake.Hosting;
using Intake.Tickets;
using Intake.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Intake.Functions;

/// <summary>
/// The agent API behind a function key (<c>AuthorizationLevel.Function</c>: <c>x-functions-key</c> or <c>?code=</c>) and, as on
/// the server, an agent's <c>x-api-key</c>: a function key says nothing about who called, so the handlers check the agent
/// key themselves (<see cref="AgentKeys"/>) and the audit names its agent.
/// </summary>
public sealed class AgentFunctions(TicketStore store, TicketListing listing, AgentDesk desk, AgentKeys agents)
{
    [Function("TicketGet")]
    public Task<Results<Ok<TicketJson>, ProblemHttpResult>> GetAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/tickets/{id}")] HttpRequest req, string id, CancellationToken cancellationToken) =>
        TicketEndpoints.GetAsync(id, req.HttpContext, agents, store, cancellationToken);

    [Function("TicketList")]
    public Task<Results<Ok<TicketListJson>, ValidationProblem, ProblemHttpResult>> ListAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/tickets")] HttpRequest req, CancellationToken cancellationToken) =>
        TicketEndpoints.ListFromQueryAsync(req, agents, listing, cancellationToken);

    [Function("TicketReply")]
    public Task<Results<Accepted<TicketJson>, ValidationProblem, ProblemHttpResult>> ReplyAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/tickets/{id}/replies")] HttpRequest req, string id, CancellationToken cancellationToken) =>
        AgentEndpoints.ReplyAsync(id, req.HttpContext, agents, desk, store, cancellationToken);

    [Function("TicketResolve")]
    public Task<Results<Ok<TicketJson>, ValidationProblem, ProblemHttpResult>> ResolveAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/tickets/{id}/resolve")] HttpRequest req, string id, CancellationToken cancellationToken) =>
        AgentEndpoints.ResolveAsync(id, req.HttpContext, agents, desk, store, cancellationToken);

    [Function("TicketReopen")]
    public Task<Results<Ok<TicketJson>, ValidationProblem, ProblemHttpResult>> ReopenAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/tickets/{id}/reopen")] HttpRequest req, string id, CancellationToken cancellationToken) =>
        AgentEndpoints.ReopenAsync(id, req.HttpContext, agents, desk, store, cancellationToken);

    [Function("TicketRevokeStatusLinks")]
    public Task<Results<Ok<TicketJson>, ValidationProblem, ProblemHttpResult>> RevokeStatusLinksAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/tickets/{id}/status-links/revoke")] HttpRequest req, string id, CancellationToken cancellationToken) =>
        AgentEndpoints.RevokeStatusLinksAsync(id, req.HttpContext, agents, desk, store, cancellationToken);

    [Function("TicketPatch")]
    public Task<Results<Ok<TicketJson>, ValidationProblem, ProblemHttpResult>> PatchAsync(
        [HttpTrigger(AuthorizationLevel.Function, "patch", Route = "api/tickets/{id}")] HttpRequest req, string id, CancellationToken cancellationToken) =>
        AgentEndpoints.PatchAsync(id, req.HttpContext, agents, desk, store, cancellationToken);
}

/// <summary>Blocked contacts for agents, behind a function key and an agent key as the rest of the agent API.</summary>
public sealed class ContactBlockFunctions(ContactBlocks blocks, TicketStore store, AgentKeys agents)
{
    [Function("ContactBlockList")]
    public Task<Results<Ok<ContactBlockListJson>, ProblemHttpResult>> ListAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/contacts/blocked")] HttpRequest req, CancellationToken cancellationToken) =>
        ContactBlockEndpoints.ListAsync(req.HttpContext, agents, blocks, cancellationToken);

    [Function("ContactBlock")]
    public Task<Results<Created<ContactBlockJson>, Ok<ContactBlockJson>, ValidationProblem, ProblemHttpResult>> BlockAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/contacts/blocked")] HttpRequest req, CancellationToken cancellationToken) =>
        ContactBlockEndpoints.BlockAsync(req.HttpContext, agents, blocks, store, cancellationToken);

    [Function("ContactUnblock")]
    public Task<Results<NoContent, ProblemHttpResult>> UnblockAsync(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "api/contacts/blocked/{channel}/{id}")] HttpRequest req, string channel, string id, CancellationToken cancellationToken) =>
        ContactBlockEndpoints.UnblockAsync(channel, id, req.HttpContext, agents, blocks, cancellationToken);
}

/// <summary>
/// <c>GET /api/health</c>, anonymous liveness as on the server; <c>GET /api/health/details</c> behind a function key and an
/// agent key.
/// </summary>
public sealed class HealthFunctions(AgentKeys agents, HealthCheckService checks)
{
    [Function("Health")]
    public static Ok<Liveness> Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/health")] HttpRequest req) =>
        HealthEndpoint.Get();

    [Function("HealthDetails")]
    public Task<Results<JsonHttpResult<HealthDetailsJson>, ProblemHttpResult>> DetailsAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/health/details")] HttpRequest req, CancellationToken cancellationToken) =>
        HealthEndpoint.DetailsAsync(req.HttpContext, agents, checks, cancellationToken);
}
