using Intake.Agents;
using Intake.Desk;
using Intake.Desk.Dashboard;
using Intake.Tickets;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

namespace Intake.Functions;

/// <summary>
/// The agents' desk at the same URLs as on the server. Anonymous to the platform: a browser sends no function key, and
/// the handlers let nobody past sign-in without a session (<see cref="DeskSignIn"/>) nor post without its form token.
/// </summary>
public sealed class DeskFunctions(
    DeskSignIn signIn,
    IOptionsMonitor<DeskOptions> options,
    TicketListing listing,
    TicketStore store,
    AgentDesk desk,
    ContactBlocks blocks,
    DashboardData dashboard,
    TimeProvider time)
{
    [Function("DeskSignIn")]
    public Task<IResult> SignInAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "desk/sign-in")] HttpRequest req, CancellationToken cancellationToken) =>
        DeskEndpoints.GetSignInAsync(req.HttpContext, signIn, cancellationToken);

    [Function("DeskSignInPost")]
    public Task<IResult> SignInPostAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "desk/sign-in")] HttpRequest req, CancellationToken cancellationToken) =>
        DeskEndpoints.PostSignInAsync(req.HttpContext, signIn, options, time, cancellationToken);

    [Function("DeskSignOut")]
    public Task<IResult> SignOutAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "desk/sign-out")] HttpRequest req, CancellationToken cancellationToken) =>
        DeskEndpoints.PostSignOutAsync(req.HttpContext, signIn, cancellationToken);

    [Function("DeskQueue")]
    public Task<IResult> QueueAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "desk")] HttpRequest req, CancellationToken cancellationToken) =>
        DeskEndpoints.GetQueueAsync(req.HttpContext, signIn, listing, store, options, time, cancellationToken);

    [Function("DeskTicket")]
    public Task<IResult> TicketAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "desk/tickets/{id}")] HttpRequest req, string id, CancellationToken cancellationToken) =>
        DeskEndpoints.GetTicketAsync(id, req.HttpContext, signIn, store, blocks, time, cancellationToken);

    [Function("DeskTicketPost")]
    public Task<IResult> TicketPostAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "desk/tickets/{id}/{action}")] HttpRequest req, string id, string action, CancellationToken cancellationToken) =>
        DeskEndpoints.PostTicketAsync(id, action, req.HttpContext, signIn, desk, store, blocks, time, cancellationToken);

    [Function("DeskDashboard")]
    public Task<IResult> DashboardAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "desk/dashboard")] HttpRequest req, CancellationToken cancellationToken) =>
        DeskEndpoints.GetDashboardAsync(req.HttpContext, signIn, dashboard, time, cancellationToken);

    [Function("DeskBlocked")]
    public Task<IResult> BlockedAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "desk/blocked")] HttpRequest req, CancellationToken cancellationToken) =>
        DeskEndpoints.GetBlockedAsync(req.HttpContext, signIn, blocks, cancellationToken);

    [Function("DeskBlock")]
    public Task<IResult> BlockAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "desk/blocked")] HttpRequest req, CancellationToken cancellationToken) =>
        DeskEndpoints.PostBlockAsync(req.HttpContext, signIn, blocks, store, cancellationToken);

    [Function("DeskUnblock")]
    public Task<IResult> UnblockAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "desk/blocked/remove")] HttpRequest req, CancellationToken cancellationToken) =>
        DeskEndpoints.PostUnblockAsync(req.HttpContext, signIn, blocks, store, cancellationToken);
}
