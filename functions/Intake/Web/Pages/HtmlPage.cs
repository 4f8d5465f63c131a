using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Intake.Web.Pages;

/// <summary>An HTML page, sent with the headers every server-rendered page sends (<see cref="ApplyHeaders"/>).</summary>
public sealed record HtmlPage(int StatusCode, string Html) : IResult, IStatusCodeHttpResult, IContentTypeHttpResult
{
    public const string HtmlContentType = "text/html; charset=utf-8";

    /// <summary>No script, no outside resource; forms post only here; no framing.</summary>
    public const string ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    /// <summary>Sent as <c>Retry-After</c> in whole seconds, rounded up.</summary>
    public TimeSpan? RetryAfter { get; init; }

    int? IStatusCodeHttpResult.StatusCode => StatusCode;

    public string ContentType => HtmlContentType;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        ApplyHeaders(response);
        if (RetryAfter is { } retryAfter)
        {
            response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        var bytes = Encoding.UTF8.GetBytes(Html);
        response.StatusCode = StatusCode;
        response.ContentType = HtmlContentType;
        response.ContentLength = bytes.Length;
        await response.Body.WriteAsync(bytes, httpContext.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>What every page sends: a strict policy, and no-store since a page may hold a token or what was typed.</summary>
    internal static void ApplyHeaders(HttpResponse response)
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";

        // A page's address may carry a token (a status link, a survey link): never hand it on as a referrer.
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-store";
    }
}

/// <summary>303 See Other: after a form post the browser fetches the next page with GET, so a reload never posts twice.</summary>
public sealed record SeeOther(string Location) : IResult, IStatusCodeHttpResult
{
    int? IStatusCodeHttpResult.StatusCode => StatusCodes.Status303SeeOther;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        HtmlPage.ApplyHeaders(httpContext.Response);
        httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
        httpContext.Response.Headers.Location = Location;
        return Task.CompletedTask;
    }
}
