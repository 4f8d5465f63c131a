using Intake.Agents;
using Intake.Hosting;
using Intake.Messaging;
using Intake.Tickets;
using Intake.Triage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Intake.Functions;

/// <summary>
/// The agent API behind a function key (<c>AuthorizationLevel.Function</c>: <c>x-functions-key</c> or <c>?code=</c>), which
/// takes the place of the server's <c>x-api-key</c> filter.
/// </summary>
public sealed class AgentFunctions(TicketStore store, AgentDesk desk)
{
    [Function("TicketGet")]
    public Task<Results<Ok<TicketJson>, ProblemHttpResult>> GetAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/tickets/{id}")] HttpRequest req, string id, CancellationToken cancellationToken) =>
        TicketEndpoints.GetAsync(id, req.HttpContext.Response, store, cancellationToken);

    [Function("TicketList")]
    public Task<Results<Ok<TicketListJson>, ValidationProblem>> ListAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/tickets")] HttpRequest req, CancellationToken cancellationToken) =>
        TicketEndpoints.ListFromQueryAsync(req, store, cancellationToken);

    [Function("TicketReply")]
    public Task<Results<Accepted<TicketJson>, ValidationProblem, ProblemHttpResult>> ReplyAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/tickets/{id}/replies")] HttpRequest req, string id, CancellationToken cancellationToken) =>
        AgentEndpoints.ReplyAsync(id, req.HttpContext, desk, store, cancellationToken);

    [Function("TicketResolve")]
    public Task<Results<Ok<TicketJson>, ValidationProblem, ProblemHttpResult>> ResolveAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/tickets/{id}/resolve")] HttpRequest req, string id, CancellationToken cancellationToken) =>
        AgentEndpoints.ResolveAsync(id, req.HttpContext, desk, store, cancellationToken);

    [Function("TicketReopen")]
    public Task<Results<Ok<TicketJson>, ValidationProblem, ProblemHttpResult>> ReopenAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/tickets/{id}/reopen")] HttpRequest req, string id, CancellationToken cancellationToken) =>
        AgentEndpoints.ReopenAsync(id, req.HttpContext, desk, store, cancellationToken);

    [Function("TicketRevokeStatusLinks")]
    public Task<Results<Ok<TicketJson>, ValidationProblem, ProblemHttpResult>> RevokeStatusLinksAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "api/tickets/{id}/status-links/revoke")] HttpRequest req, string id, CancellationToken cancellationToken) =>
        AgentEndpoints.RevokeStatusLinksAsync(id, req.HttpContext, desk, store, cancellationToken);

    [Function("TicketPatch")]
    public Task<Results<Ok<TicketJson>, ValidationProblem, ProblemHttpResult>> PatchAsync(
        [HttpTrigger(AuthorizationLevel.Function, "patch", Route = "api/tickets/{id}")] HttpRequest req, string id, CancellationToken cancellationToken) =>
        AgentEndpoints.PatchAsync(id, req.HttpContext, desk, store, cancellationToken);
}

/// <summary><c>GET /api/health</c>, anonymous as on the server.</summary>
public sealed class HealthFunctions(TriageEngine triage, TicketStore store, StorageTicketQueue queue, ILoggerFactory loggers)
{
    [Function("Health")]
    public Task<Results<Ok<HealthReport>, JsonHttpResult<HealthReport>>> GetAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/health")] HttpRequest req, CancellationToken cancellationToken) =>
        HealthEndpoint.GetAsync(triage, store, queue, loggers, cancellationToken);
}
