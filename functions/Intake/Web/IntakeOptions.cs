using System.ComponentModel.DataAnnotations;

namespace Intake.Web;

/// <summary>The <c>Intake</c> section: where customers reach us, and the key that signs links we give them.</summary>
public sealed class IntakeOptions
{
    public const string Section = "Intake";

    /// <summary>The public address of this service; links in messages start here. Default: the request's own address.</summary>
    [Url]
    public string? PublicBaseUrl { get; set; }

    /// <summary>Signs status and verify links (HMAC-SHA256). Required outside Development (<c>IntakeOptionsValidator</c>, where the host composes); at least 32 characters.</summary>
    [MinLength(32)]
    public string? SigningKey { get; set; }

    /// <summary>How long a status link opens the ticket's page (default 30 days); an agent can revoke links sooner.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "365.00:00:00")]
    public TimeSpan StatusLinkLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long the link that proves a web-form address works (default 7 days); a reply by mail proves it too.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "90.00:00:00")]
    public TimeSpan VerifyLinkLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long the acknowledgement's "this solved my problem, close my ticket" link works (default 7 days).</summary>
    [Range(typeof(TimeSpan), "00:05:00", "90.00:00:00")]
    public TimeSpan SolvedLinkLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// The agent API's keys (<c>x-api-key</c>), each bound to the agent it belongs to: <c>Intake:ApiKeys:alice</c>
    /// (environment variable <c>Intake__ApiKeys__alice</c>). The audit trail names that agent. At least
    /// <see cref="MinApiKeyLength"/> characters, one agent per key; an empty key leaves its agent out. None: nobody gets in.
    /// </summary>
    public IReadOnlyDictionary<string, string> ApiKeys { get; set; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Automatic messages (acknowledgements) one address may receive a day, across tickets (DESIGN §5): a form or a
    /// spoofed sender cannot turn us into a mail bomb, and two auto-responders cannot loop.
    /// </summary>
    [Range(1, 1000)]
    public int AutomaticRepliesPerDay { get; set; } = 5;

    public const int MinApiKeyLength = 32;
}
