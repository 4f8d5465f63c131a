using Intake.Escalation;
using Intake.Sla;
using Intake.Tickets;
using Intake.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

namespace Intake.Functions;

/// <summary>The SLA monitor every minute (6-field NCRONTAB); the runs are idempotent, so an overlap or a retry records nothing twice.</summary>
public sealed class SlaFunctions(SlaMonitor monitor)
{
    [Function("SlaMonitor")]
    public Task RunAsync([TimerTrigger("0 */1 * * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        monitor.RunOnceAsync(cancellationToken);
}

/// <summary><c>GET /api/metrics/sla</c> behind a function key and an agent key, as the agent API.</summary>
public sealed class SlaMetricsFunctions(SlaStore store, IOptions<SlaOptions> options, TimeProvider time, AgentKeys agents)
{
    [Function("MetricsSla")]
    public Task<Results<Ok<SlaReportJson>, ValidationProblem, ProblemHttpResult>> GetAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/metrics/sla")] HttpRequest req, CancellationToken cancellationToken) =>
        SlaMetricsEndpoints.GetFromQueryAsync(req, agents, store, options, time, cancellationToken);
}
