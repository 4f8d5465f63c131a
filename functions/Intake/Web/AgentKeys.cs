using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Intake.Web;

/// <summary>
/// Who is calling the agent API: the agent whose key (<c>Intake:ApiKeys:&lt;agent&gt;</c>) is in the <c>x-api-key</c>
/// header, or nobody. Every handler behind the key asks, in both hosts (under Azure Functions the function key is checked
/// first by the platform, but it says nothing about who called), so the audit trail records the agent the key belongs
/// to, never a name from the body. A new agent route does the same:
/// <code>if (agents.Authenticate(http) is not { } agent) { return AgentKeys.Unauthorized(); }</code>
/// The answer is kept on the request, so the server's <see cref="ApiKeyFilter"/> and the handler compare keys once.
/// </summary>
public sealed class AgentKeys(IOptionsMonitor<IntakeOptions> options)
{
    public const string Header = "x-api-key";

    private static readonly object ItemKey = new();

    /// <summary>The agent the request's key belongs to; null without a key or with one that is not configured. Constant time.</summary>
    public string? Authenticate(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.Items.TryGetValue(ItemKey, out var known))
        {
            return known as string;
        }

        var given = http.Request.Headers[Header].ToString();
        string? agent = null;
        foreach (var (name, key) in options.CurrentValue.ApiKeys)
        {
            // Every key is compared (in constant time, lengths hidden): the time taken tells nothing about which nearly matched.
            if (key.Length > 0 && RequestChecks.SecretEquals(given, key))
            {
                agent ??= name;
            }
        }

        http.Items[ItemKey] = agent;
        return agent;
    }

    public static ProblemHttpResult Unauthorized() =>
        TypedResults.Problem($"A valid {Header} header is required.", statusCode: StatusCodes.Status401Unauthorized);
}
