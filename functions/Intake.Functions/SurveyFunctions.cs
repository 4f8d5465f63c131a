using Intake.Surveys;
using Intake.Web;
using Intake.Web.Pages;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;

namespace Intake.Functions;

/// <summary>
/// The survey pages, anonymous as on the server (the signed token in the query is the authority), and the CSAT report
/// behind a function key and an agent's <c>x-api-key</c>, checked by the handler as on the server.
/// </summary>
public sealed class SurveyFunctions(SurveyDesk surveys, SurveyStore store, TimeProvider time, AgentKeys agents)
{
    [Function("SurveyPage")]
    public Task<HtmlPage> PageAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/surveys")] HttpRequest req, CancellationToken cancellationToken) =>
        SurveyEndpoints.GetAsync(req.Query["token"], req.HttpContext, surveys, cancellationToken);

    [Function("SurveyAnswer")]
    public Task<Results<HtmlPage, Ok<SurveyAnswerJson>, ProblemHttpResult>> AnswerAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/surveys")] HttpRequest req, CancellationToken cancellationToken) =>
        SurveyEndpoints.PostAsync(req.Query["token"], req.HttpContext, surveys, cancellationToken);

    [Function("MetricsCsat")]
    public Task<Results<Ok<CsatReport>, ValidationProblem, ProblemHttpResult>> CsatAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/metrics/csat")] HttpRequest req, CancellationToken cancellationToken) =>
        MetricsEndpoints.CsatAsync(req.Query["from"], req.Query["to"], req.HttpContext, agents, store, time, cancellationToken);
}
