using Intake.HelpCenter;
using Intake.Sla;
using Intake.Tickets;
using Intake.Web;
using Intake.Web.Pages;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

namespace Intake.Functions;

/// <summary>The acknowledgement's solved link (<c>/support/solved/{reference}</c>) and <c>GET /api/metrics/deflection</c>.</summary>
public sealed class HelpCenterFunctions(TicketStore store, StatusLinks links, DeflectionStore deflection, IOptions<SlaOptions> sla, TimeProvider time, AgentKeys agents)
{
    [Function("SupportSolved")]
    public Task<HtmlPage> SolvedAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "support/solved/{reference}")] HttpRequest req, string reference, CancellationToken cancellationToken) =>
        SolvedEndpoints.GetAsync(reference, req.Query["token"], req.Query["lang"], req.HttpContext, store, links, cancellationToken);

    [Function("SupportSolvedPost")]
    public Task<HtmlPage> SolvedPostAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "support/solved/{reference}")] HttpRequest req, string reference, CancellationToken cancellationToken) =>
        SolvedEndpoints.PostAsync(reference, req.Query["token"], req.Query["lang"], store, links, deflection, sla, time, cancellationToken);

    [Function("MetricsDeflection")]
    public Task<Results<Ok<DeflectionReportJson>, ValidationProblem, ProblemHttpResult>> DeflectionAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/metrics/deflection")] HttpRequest req, CancellationToken cancellationToken) =>
        DeflectionEndpoints.GetFromQueryAsync(req, agents, deflection, time, cancellationToken);
}
