using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Intake.Channels.Meta;

/// <summary>
/// What the Messenger, Instagram and WhatsApp senders share: the <c>MetaGraph</c> HttpClient and its retries, and one
/// JSON POST with a bearer token (their 24-hour window is <see cref="Outbound.MessagingWindows"/>). A short in-process
/// retry rides out a brief throttle or blip; anything longer is the queue's to retry, so a worker slot is never held for long.
/// </summary>
internal static class GraphApi
{
    public const string HttpClientName = "MetaGraph";

    /// <summary>How long a send may take, retries included, before it counts as failed.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public const int MaxRetryAttempts = 2;

    /// <summary>The first backoff; exponential with jitter after it.</summary>
    public static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(200);

    /// <summary>A <c>Retry-After</c> longer than this is left to the queue's redelivery rather than waited out here.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(5);

    /// <summary>Retries on 408, 429, 5xx, network faults and attempt timeouts, honouring a short <c>Retry-After</c>.</summary>
    public static void ConfigureRetries(ResiliencePipelineBuilder<HttpResponseMessage> builder, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddRetry(new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = MaxRetryAttempts,
            Delay = RetryDelay,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            ShouldRetryAfterHeader = true,
            MaxDelay = MaxRetryAfter,
            ShouldHandle = args => ValueTask.FromResult(ShouldRetryNow(args.Outcome, time.GetUtcNow())),
        });
    }

    internal static bool ShouldRetryNow(Outcome<HttpResponseMessage> outcome, DateTimeOffset now) =>
        HttpClientResiliencePredicates.IsTransient(outcome) && !(outcome.Result is { } response && RetryAfter(response, now) > MaxRetryAfter);

    internal static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - now,
        _ => null,
    };

    /// <summary>At most <paramref name="limit"/> characters, never splitting a surrogate pair; cut text ends in an ellipsis.</summary>
    public static string Cut(string text, int limit)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length <= limit)
        {
            return text;
        }

        var end = limit - 1;
        if (char.IsHighSurrogate(text[end - 1]))
        {
            end--;
        }

        return string.Concat(text.AsSpan(0, end), "…");
    }

    /// <summary>Retry-worthy statuses the in-process retries could not get past: the queue's to retry.</summary>
    public static bool IsWorthRetrying(HttpStatusCode status) =>
        (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;

    /// <summary>
    /// POSTs <paramref name="body"/> with the token as a bearer header (never in the URL, which logs may show). Returns
    /// the status and, on success, the JSON answer; an error's body is never read, since it may quote what we sent.
    /// </summary>
    public static async Task<(HttpStatusCode Status, JsonNode? Answer)> PostAsync(
        HttpClient http, Uri url, string token, JsonObject body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return (response.StatusCode, null);
            }

            try
            {
                return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonNode>(cancellationToken).ConfigureAwait(false));
            }
            catch (JsonException)
            {
                // Sent all the same; only the provider's id for it is unknown.
                return (response.StatusCode, null);
            }
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // HttpClient reports its own timeout as a cancellation; callers should not mistake it for shutdown.
            throw new TimeoutException($"The Graph API did not answer within {Timeout.TotalSeconds:0} s.", ex);
        }
    }

    /// <summary>The string at a node of an answer, or null when there is none.</summary>
    public static string? StringOf(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;

    /// <summary><c>{BaseUrl}/{version}/{path}</c>.</summary>
    public static Uri Url(Uri baseUrl, string version, string path) =>
        new($"{baseUrl.AbsoluteUri.TrimEnd('/')}/{version}/{path}");
}
