using System.Net;
using Azure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Intake.Storage;

/// <summary>
/// A service intake stores into (a ticket queue) refused or could not take what it was given, for a reason that is not
/// the caller's fault: what <see cref="StorageOutage"/> counts as an outage.
/// </summary>
public abstract class ServiceUnavailableException : Exception
{
    protected ServiceUnavailableException()
    {
    }

    protected ServiceUnavailableException(string message)
        : base(message)
    {
    }

    protected ServiceUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// When the tables or the queue do not answer, intake cannot keep what it is given. It answers 503 with
/// <c>Retry-After</c> instead of 500, so that the sender tries again later: every provider retries a 5xx, and a web-form
/// client is told when. Nothing is answered 2xx that is not stored and queued; a message sent again after a 503 is kept
/// once (provider ids and <c>Idempotency-Key</c> dedupe it).
/// </summary>
public static class StorageOutage
{
    /// <summary>The seconds a sender is asked to wait: the storage client's own retries have already spent several.</summary>
    public const int RetryAfterSeconds = 30;

    /// <summary>
    /// Whether <paramref name="exception"/> says storage or the queue is out of reach or overloaded — no answer, a timeout,
    /// 408, 429 or a 5xx, also inside the storage client's own give-up (an <see cref="AggregateException"/> of its tries) —
    /// rather than a fault of ours, which stays a 500.
    /// </summary>
    public static bool Is(Exception? exception) => exception switch
    {
        null => false,
        ServiceUnavailableException => true,
        RequestFailedException { Status: 0 or (int)HttpStatusCode.RequestTimeout or (int)HttpStatusCode.TooManyRequests or >= 500 } => true,
        RequestFailedException => false,
        HttpRequestException or TimeoutException => true,
        AggregateException aggregate => aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(Is),
        _ => Is(exception.InnerException),
    };

    /// <summary>The 503 answer: ProblemDetails, and <c>Retry-After</c> on <paramref name="response"/>.</summary>
    public static ProblemHttpResult Problem(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(
            statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "Intake cannot store messages for a moment.",
            detail: $"Nothing was lost: please send it again in {RetryAfterSeconds} seconds.");
    }
}
