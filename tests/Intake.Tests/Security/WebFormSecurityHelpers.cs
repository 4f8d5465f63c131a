using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Intake.Tests.Agents;
using Intake.Tests.Fakes;
using Intake.Tests.Integration;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Intake.Tests.Security;

/// <summary>An HTTP answer as a client sees it: what a second client could learn from it.</summary>
internal sealed record WebAnswer(HttpStatusCode Status, string Body, string? Location, string? ContentType);

/// <summary>The web form and the customer pages as a client (a customer, or someone posing as one) uses them.</summary>
internal static partial class WebFormSecurityHelpers
{
    /// <summary>The test client's own address, so that links in mail open through it.</summary>
    public const string PublicBaseUrl = "http://localhost";

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    /// <summary>The agent key, a public address for links in mail, and room for many submissions.</summary>
    public static Dictionary<string, string> Settings(Dictionary<string, string>? more = null) =>
        AgentApi.Settings(new Dictionary<string, string>(more ?? []) { ["Intake:PublicBaseUrl"] = PublicBaseUrl });

    public static HttpClient NewClient(IntakeHost host) => host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    public static async Task<WebAnswer> PostJsonAsync(HttpClient client, object body)
    {
        using var response = await client.PostAsJsonAsync(new Uri("/api/intake/web", UriKind.Relative), body, Cancellation);
        return await AnswerAsync(response);
    }

    public static async Task<WebAnswer> PostFormAsync(HttpClient client, Dictionary<string, string> fields)
    {
        using var content = new FormUrlEncodedContent(fields);
        using var response = await client.PostAsync(new Uri("/support", UriKind.Relative), content, Cancellation);
        return await AnswerAsync(response);
    }

    public static async Task<WebAnswer> GetAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(new Uri(url, UriKind.RelativeOrAbsolute), Cancellation);
        return await AnswerAsync(response);
    }

    /// <summary>Posts a link's page as its button does: an empty form to the link's own address.</summary>
    public static async Task<WebAnswer> PostLinkAsync(HttpClient client, string url)
    {
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>());
        using var response = await client.PostAsync(new Uri(url, UriKind.RelativeOrAbsolute), content, Cancellation);
        return await AnswerAsync(response);
    }

    private static async Task<WebAnswer> AnswerAsync(HttpResponseMessage response) => new(
        response.StatusCode,
        await response.Content.ReadAsStringAsync(Cancellation),
        response.Headers.Location?.ToString(),
        response.Content.Headers.ContentType?.MediaType);

    /// <summary>A new ticket through the JSON API: its id, reference and the status link its submitter is given.</summary>
    public static async Task<(string TicketId, string Reference, string StatusUrl)> SubmitAsync(HttpClient client, string message, string? email)
    {
        var answer = await PostJsonAsync(client, new { message, email });
        Assert.Equal(HttpStatusCode.Accepted, answer.Status);
        using var json = JsonDocument.Parse(answer.Body);
        return (json.RootElement.GetProperty("ticketId").GetString()!, json.RootElement.GetProperty("reference").GetString()!, json.RootElement.GetProperty("statusUrl").GetString()!);
    }

    /// <summary>The first mail to <paramref name="address"/> about the ticket, once it is sent.</summary>
    public static Task<SendGridRequest> MailToAsync(IntakeHost host, string address, string ticketId) =>
        IntakeHost.WaitForAsync(
            () => Task.FromResult(host.SendGrid.Mails.FirstOrDefault(m => m.ToEmail == address && m.CustomArg("ticketId") == ticketId)),
            $"a mail to {address}");

    /// <summary>The links of a mail's text that lead to the support pages' <paramref name="path"/> (<c>/support/status/</c>, <c>/support/verify/</c>).</summary>
    public static IReadOnlyList<string> LinksIn(SendGridRequest mail, string path) =>
        [.. Link().Matches(mail.Text ?? "").Select(m => m.Value).Where(url => url.Contains(path, StringComparison.Ordinal))];

    /// <summary>An agent's reply, once it is sent (so that it is in the thread and out of the way of later mail).</summary>
    public static async Task ReplyAsync(HttpClient client, string ticketId, string text)
    {
        var reply = await AgentApi.ReplyAsync(client, ticketId, text);
        Assert.Equal(HttpStatusCode.Accepted, reply.Status);
        await AgentApi.WaitForOutboundAsync(client, ticketId, "reply");
    }

    [GeneratedRegex(@"https?://[^\s]+")]
    private static partial Regex Link();
}
