using Intake.Channels.WebForm;
using Intake.Tickets;
using Intake.Web.Pages;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;

namespace Intake.Functions;

/// <summary>
/// The customer pages at the same URLs as on the server (<c>/support</c>, not under <c>/api</c>: acknowledgements link
/// there), which is why host.json's route prefix is empty and every route here is written in full.
/// </summary>
public sealed class SupportPageFunctions(WebFormIntake forms, SubmissionRateLimiter limiter, TicketStore store, StatusLinks links)
{
    [Function("SupportForm")]
    public static HtmlPage Form([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "support")] HttpRequest req) =>
        SupportPageEndpoints.GetForm(req.Query["lang"], req.HttpContext);

    [Function("SupportFormPost")]
    public Task<Results<SeeOther, HtmlPage>> PostAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "support")] HttpRequest req, CancellationToken cancellationToken) =>
        SupportPageEndpoints.PostAsync(req.HttpContext, forms, limiter, store, links, cancellationToken);

    [Function("SupportStatus")]
    public Task<HtmlPage> StatusAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "support/status/{reference}")] HttpRequest req, string reference, CancellationToken cancellationToken) =>
        SupportPageEndpoints.GetStatusAsync(reference, req.Query["token"], req.Query["lang"], req.HttpContext, store, links, cancellationToken);

    [Function("SupportVerify")]
    public Task<HtmlPage> VerifyAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "support/verify/{reference}")] HttpRequest req, string reference, CancellationToken cancellationToken) =>
        SupportPageEndpoints.GetVerifyAsync(reference, req.Query["token"], req.Query["lang"], req.HttpContext, store, links, cancellationToken);

    [Function("SupportVerifyPost")]
    public Task<Results<SeeOther, HtmlPage>> VerifyPostAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "support/verify/{reference}")] HttpRequest req, string reference, CancellationToken cancellationToken) =>
        SupportPageEndpoints.PostVerifyAsync(reference, req.Query["token"], req.HttpContext, store, links, cancellationToken);
}
