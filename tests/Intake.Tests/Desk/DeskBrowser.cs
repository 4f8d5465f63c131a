using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Intake.Desk;
using Intake.Tests.Integration;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Intake.Tests.Desk;

/// <summary>A page of the desk as a client got it: status, where a 303 points, the HTML, and the cookies set.</summary>
internal sealed record DeskResponse(HttpStatusCode Status, string? Location, string Html, IReadOnlyList<string> SetCookies, HttpResponseMessage Raw)
{
    /// <summary>The value of the hidden field <paramref name="name"/> of the first form that has it, HTML-decoded.</summary>
    public string? Field(string name, int form = 0)
    {
        var matches = Regex.Matches(Html, $"""name="{Regex.Escape(name)}" value="([^"]*)" """.TrimEnd(), RegexOptions.None, TimeSpan.FromSeconds(1));
        return matches.Count > form ? WebUtility.HtmlDecode(matches[form].Groups[1].Value) : null;
    }

    /// <summary>What the reply box holds, HTML-decoded.</summary>
    public string? TypedReply() =>
        Regex.Match(Html, """<textarea id="reply"[^>]*>([^<]*)</textarea>""", RegexOptions.None, TimeSpan.FromSeconds(1)) is { Success: true } match
            ? WebUtility.HtmlDecode(match.Groups[1].Value)
            : null;
}

/// <summary>
/// A browser of the desk without a browser: a client that keeps cookies and does not follow redirects, posting forms as
/// a browser would (<c>application/x-www-form-urlencoded</c>, the hidden fields of the page it came from).
/// </summary>
internal sealed class DeskBrowser(IntakeHost host, string? acceptLanguage = null) : IDisposable
{
    private readonly HttpClient _client = host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async Task<DeskResponse> GetAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        return await SendAsync(request);
    }

    public async Task<DeskResponse> PostAsync(string path, IEnumerable<KeyValuePair<string, string>> fields)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = new FormUrlEncodedContent(fields) };
        return await SendAsync(request);
    }

    public async Task<DeskResponse> PostRawAsync(string path, HttpContent content)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = content };
        return await SendAsync(request);
    }

    /// <summary>Signs in through the form: 303 to the queue when the name and key are right.</summary>
    public async Task<DeskResponse> SignInAsync(string name, string key)
    {
        var form = await GetAsync(DeskPaths.SignIn);
        return await PostAsync(DeskPaths.SignIn, [new("_form", form.Field("_form") ?? ""), new("name", name), new("key", key)]);
    }

    /// <summary>Posts a form of the ticket's page as it is now (its form token and ETag), with <paramref name="fields"/>.</summary>
    public async Task<DeskResponse> ActAsync(string ticketId, string action, params (string Name, string Value)[] fields)
    {
        var page = await GetAsync(DeskPaths.Ticket(ticketId));
        Assert.Equal(HttpStatusCode.OK, page.Status);
        return await ActOnAsync(page, ticketId, action, fields);
    }

    /// <summary>Posts a form of <paramref name="page"/>, as read then (its ETag may be stale by now).</summary>
    public Task<DeskResponse> ActOnAsync(DeskResponse page, string ticketId, string action, params (string Name, string Value)[] fields) =>
        PostAsync(
            DeskPaths.Ticket(ticketId) + "/" + action,
            [new("_form", page.Field("_form")!), new("etag", page.Field("etag")!), new("seen", page.Field("seen")!), .. fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))]);

    private async Task<DeskResponse> SendAsync(HttpRequestMessage request)
    {
        if (acceptLanguage is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        }

        var response = await _client.SendAsync(request, Cancellation);
        var html = await response.Content.ReadAsStringAsync(Cancellation);
        var cookies = response.Headers.TryGetValues("Set-Cookie", out var values) ? values.ToList() : [];
        return new DeskResponse(response.StatusCode, response.Headers.Location?.ToString(), html, cookies, response);
    }

    public void Dispose() => _client.Dispose();

    public static StringContent Form(string body) => new(body, Encoding.UTF8, "application/x-www-form-urlencoded");
}
